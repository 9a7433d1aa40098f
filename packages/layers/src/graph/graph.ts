import { InputLayer } from '../layers/input.ts';
import { formatLayerShape, type Layer } from '../layers/layer.ts';
import { isSymbolic, type Node, type SymbolicTensor } from '../layers/symbolic.ts';

/**
 * A model's graph of layers: the nodes from its inputs to its outputs in an order that runs them (each
 * after the nodes it reads), and its layers in Keras's order (by depth from the outputs, inputs first,
 * ties in traversal order), which is also the order `model.layers`, `summary()` and saved files use.
 */
export interface Graph {
  readonly inputs: readonly SymbolicTensor[];
  readonly outputs: readonly SymbolicTensor[];
  readonly nodes: readonly Node[];
  readonly layers: readonly Layer[];
}

const describe = (t: SymbolicTensor): string => `"${t.name}" ${formatLayerShape(t.shape)}`;

function checkTensors(list: readonly unknown[], what: string, where: string): asserts list is SymbolicTensor[] {
  if (!list.length) throw new Error(`${where}: ${what} is empty; a model needs at least one`);
  list.forEach((t, i) => {
    if (!isSymbolic(t)) throw new Error(`${where}: ${what}[${i}] is not a symbolic tensor (from input() or layer.apply(symbolic)), got ${t === null ? 'null' : typeof t === 'object' ? t.constructor.name : typeof t}`);
  });
  const repeated = list.find((t, i) => list.indexOf(t) !== i);
  if (repeated) throw new Error(`${where}: ${what} lists ${describe(repeated as SymbolicTensor)} twice`);
}

/** Walk back from the outputs, order the nodes and layers, and reject what cannot be run. */
export function buildGraph(inputs: readonly SymbolicTensor[], outputs: readonly SymbolicTensor[], where: string): Graph {
  checkTensors(inputs, 'inputs', where);
  checkTensors(outputs, 'outputs', where);
  inputs.forEach((t, i) => {
    if (!(t.node.layer instanceof InputLayer)) throw new Error(`${where}: inputs[${i}] ${describe(t)} is the output of layer "${t.node.layer.name}" (${t.node.layer.className}), not an input(); a model's inputs are the input() tensors its graph starts from`);
  });

  // Depth-first from each output (Keras's map_graph): nodes finish after their parents.
  const finished = new Set<Node>();
  const inProgress = new Set<Node>();
  const order: Node[] = [];
  const traversal = new Map<Layer, number>();
  const visit = (t: SymbolicTensor, consumer: SymbolicTensor): void => {
    const node = t.node;
    if (finished.has(node)) return;
    if (inProgress.has(node)) throw new Error(`${where}: the graph has a cycle through layer "${node.layer.name}"`);
    if (!traversal.has(node.layer)) traversal.set(node.layer, traversal.size);
    if (node.inputs.length === 0 && !inputs.includes(t)) {
      const listed = inputs.map((i) => `"${i.name}"`).join(', ');
      throw new Error(`${where}: graph disconnected: output ${describe(consumer)} depends on input ${describe(t)}, which is not in the model's inputs (${listed}); add it to inputs`);
    }
    inProgress.add(node);
    if (!inputs.includes(t)) for (const parent of node.inputs) visit(parent, consumer);
    inProgress.delete(node);
    finished.add(node);
    order.push(node);
  };
  for (const out of outputs) visit(out, out);
  for (const t of inputs) if (!traversal.has(t.node.layer)) traversal.set(t.node.layer, -1);

  // Depth: outputs 0, each parent deeper than every node it feeds; a shared layer takes its deepest node's depth.
  const nodeDepth = new Map<Node, number>();
  const layerDepth = new Map<Layer, number>();
  for (const node of [...order].reverse()) {
    const depth = Math.max(nodeDepth.get(node) ?? 0, layerDepth.get(node.layer) ?? 0);
    layerDepth.set(node.layer, depth);
    nodeDepth.set(node, depth);
    for (const parent of node.parents) nodeDepth.set(parent, Math.max(depth + 1, nodeDepth.get(parent) ?? 0));
  }
  for (const t of inputs) if (!layerDepth.has(t.node.layer)) layerDepth.set(t.node.layer, 0);
  for (const t of inputs) if (!order.includes(t.node)) order.unshift(t.node); // listed but unused: still an input

  const byKerasOrder = (a: Layer, b: Layer): number => (layerDepth.get(b) ?? 0) - (layerDepth.get(a) ?? 0) || (traversal.get(a) ?? 0) - (traversal.get(b) ?? 0);
  const layers = [...new Set(order.map((n) => n.layer))].sort(byKerasOrder);
  const byName = new Map<string, Layer>();
  for (const layer of layers) {
    const other = byName.get(layer.name);
    if (other) throw new Error(`${where}: two different layers are named "${layer.name}" (${other.className} and ${layer.className}); layer names must be unique within a model`);
    byName.set(layer.name, layer);
  }
  return { inputs: [...inputs], outputs: [...outputs], nodes: order, layers };
}
