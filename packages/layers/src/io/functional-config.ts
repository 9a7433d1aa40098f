import { z } from 'zod';
import type { Graph } from '../graph/graph.ts';
import type { StructureForm, SymbolicStructure, TrainableModel } from '../graph/model-api.ts';
import { InputLayer } from '../layers/input.ts';
import type { Layer } from '../layers/layer.ts';
import type { Node, SymbolicTensor } from '../layers/symbolic.ts';
import { parseOptions } from '../training/options.ts';
import { kerasObject, kerasObjectSchema, type KerasObject, type ParsedKerasObject } from './keras-object.ts';
import { inputLayerConfig, layerFromKeras, layerToKeras, type NestedModelBuilder } from './layer-config.ts';

/**
 * Keras 3's functional config: every layer with its `inbound_nodes` (each node's `args`, symbolic tensors
 * named by `keras_history` = [layer, node index, tensor index]) and the model's `input_layers` /
 * `output_layers` in the structure the model was made with. Node indices count only the nodes inside
 * the model, so a layer also used elsewhere saves and loads the same.
 */

type History = [string, number, number];

/** A layer's nodes inside `graph`, in the order they were made. */
const nodesIn = (graph: Graph, layer: Layer): Node[] => layer.inboundNodes.filter((n) => graph.nodes.includes(n));

function history(graph: Graph, t: SymbolicTensor): History {
  return [t.node.layer.name, nodesIn(graph, t.node.layer).indexOf(t.node), t.index];
}

function structured(graph: Graph, list: readonly SymbolicTensor[], form: StructureForm, names: readonly string[]): unknown {
  const refs = list.map((t) => history(graph, t));
  if (form === 'one') return refs[0];
  if (form === 'list') return refs;
  return Object.fromEntries(names.map((name, i) => [name, refs[i]]));
}

/** A symbolic tensor as Keras writes it in a node's `args`. */
interface KerasTensorConfig {
  class_name: '__keras_tensor__';
  config: { shape: readonly (number | null)[]; dtype: string; keras_history: History };
}

function tensorConfig(graph: Graph, t: SymbolicTensor): KerasTensorConfig {
  return { class_name: '__keras_tensor__', config: { shape: t.shape, dtype: t.dtype, keras_history: history(graph, t) } };
}

/** One layer of the `layers` list: its own config plus its name and inbound nodes. */
function layerEntry(graph: Graph, layer: Layer, nested: (model: Layer) => KerasObject): Record<string, unknown> {
  const nodes = nodesIn(graph, layer);
  const inbound = nodes.map((node) => {
    const args = node.inputs.map((t) => tensorConfig(graph, t));
    return { args: [node.listInput ? args : args[0]], kwargs: layer.childLayers.length ? { mask: null } : {} };
  });
  if (layer instanceof InputLayer) {
    const config = { batch_shape: layer.batchInputShape, dtype: layer.dtype, sparse: false, ragged: false, name: layer.name };
    return { ...kerasObject('keras.layers', 'InputLayer', config), name: layer.name, inbound_nodes: [] };
  }
  const serialized = layer.childLayers.length ? nested(layer) : layerToKeras(layer, layer.builtInputShape);
  return { ...serialized, name: layer.name, inbound_nodes: inbound };
}

/** The `config` of a functional model; `nested` serializes models used as layers. */
export function functionalConfig(model: TrainableModel, nested: (model: Layer) => KerasObject): Record<string, unknown> {
  const graph = model.graphFor();
  return {
    name: model.name,
    trainable: true,
    layers: graph.layers.map((layer) => layerEntry(graph, layer, nested)),
    input_layers: structured(graph, graph.inputs, model.forms.inputs, model.inputNames),
    output_layers: structured(graph, graph.outputs, model.forms.outputs, model.outputNames),
  };
}

const historySchema = z.tuple([z.string(), z.number().int().min(0), z.number().int().min(0)]);
const tensorSchema = z.looseObject({ class_name: z.literal('__keras_tensor__'), config: z.looseObject({ keras_history: historySchema }) });
const nodeSchema = z.looseObject({ args: z.array(z.union([tensorSchema, z.array(tensorSchema)])).min(1), kwargs: z.record(z.string(), z.unknown()).optional() });
const layerSchema = kerasObjectSchema.extend({ name: z.string().optional(), inbound_nodes: z.array(nodeSchema).default([]) });
const refs = z.union([historySchema, z.array(historySchema), z.record(z.string(), historySchema)]);

export const functionalSchema = z.looseObject({
  name: z.string().min(1),
  trainable: z.boolean().optional(),
  layers: z.array(layerSchema),
  input_layers: refs,
  output_layers: refs,
});

/** Builds the model once its inputs and outputs exist (the model classes live above io/). */
export type FunctionalBuilder = (inputs: SymbolicStructure, outputs: SymbolicStructure, name: string) => Layer & TrainableModel;

/**
 * Rebuild a functional model: make every layer, then replay the nodes (a layer's nodes in order, each once
 * the tensors it reads exist), as Keras's `functional_from_config` does.
 */
export function functionalFromKeras(config: unknown, where: string, build: FunctionalBuilder, nested: NestedModelBuilder): Layer & TrainableModel {
  const parsed = parseOptions(functionalSchema, config, `${where}: functional config`);
  const layers = new Map<string, Layer>();
  for (const entry of parsed.layers) {
    const name = entry.name ?? (typeof entry.config.name === 'string' ? entry.config.name : '');
    if (layers.has(name)) throw new Error(`${where}: two layers are named "${name}"`);
    layers.set(name, entry.class_name === 'InputLayer' ? inputFromKeras(entry, where) : layerFromKeras(entry as ParsedKerasObject, where, nested));
  }
  const made = new Map<string, SymbolicTensor>();
  const key = ([layer, node, index]: History): string => `${layer}/${node}/${index}`;
  for (const [name, layer] of layers) if (layer instanceof InputLayer) made.set(key([name, 0, 0]), layer.output);
  const pending = parsed.layers.map((entry) => ({ layer: layers.get(entry.name ?? String(entry.config.name)) as Layer, nodes: [...entry.inbound_nodes], done: 0 }));
  let progress = true;
  while (progress) {
    progress = false;
    for (const p of pending) {
      while (p.nodes.length) {
        const arg = p.nodes[0].args[0];
        const list = Array.isArray(arg);
        const wanted = (list ? arg : [arg]).map((t) => t.config.keras_history as History);
        if (!wanted.every((h) => made.has(key(h)))) break;
        const outputs = p.layer.applyOutputs((list ? wanted.map((h) => made.get(key(h))) : made.get(key(wanted[0]))) as SymbolicTensor);
        outputs.forEach((t, i) => made.set(key([p.layer.name, p.done, i]), t));
        p.nodes.shift();
        p.done++;
        progress = true;
      }
    }
  }
  const stuck = pending.find((p) => p.nodes.length);
  if (stuck) throw new Error(`${where}: layer "${stuck.layer.name}" reads tensors no layer of the file makes (${JSON.stringify(stuck.nodes[0].args[0])})`);
  const resolve = (h: History): SymbolicTensor => {
    const t = made.get(key(h));
    if (!t) throw new Error(`${where}: the model's inputs or outputs name ${JSON.stringify(h)}, which no layer of the file makes`);
    return t;
  };
  const structure = (r: z.output<typeof refs>): SymbolicStructure => {
    if (r.length === 3 && typeof r[0] === 'string') return resolve(r as History);
    if (Array.isArray(r)) return (r as History[]).map(resolve);
    return Object.fromEntries(Object.entries(r).map(([k, h]) => [k, resolve(h)]));
  };
  return build(structure(parsed.input_layers), structure(parsed.output_layers), parsed.name);
}

function inputFromKeras(entry: ParsedKerasObject, where: string): InputLayer {
  const [, ...shape] = parseOptions(inputLayerConfig, entry.config, `${where}: InputLayer`);
  return new InputLayer({ shape, name: typeof entry.config.name === 'string' ? entry.config.name : undefined });
}
