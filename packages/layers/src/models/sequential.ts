import type { Tensor } from '@strata/core';
import { buildGraph, type Graph } from '../graph/graph.ts';
import { InputLayer } from '../layers/input.ts';
import { Layer, formatLayerShape, uniqueName, type LayerShape, type LayerShapes } from '../layers/layer.ts';
import { isSymbolic, type Node, type SymbolicTensor } from '../layers/symbolic.ts';
import { Model, type ModelArgs } from './model.ts';
import { sequentialSummary } from './summary.ts';

/**
 * A linear stack of layers (Keras's `Sequential`): a `Model` whose graph is a chain. The graph is built
 * as soon as the input shape is known: from `inputShape` on the first layer, an `input()`, or the first
 * data the model sees. `add`/`pop` rebuild it.
 */
export class Sequential extends Model<SymbolicTensor> {
  override readonly className = 'Sequential';
  private readonly stack: Layer[] = [];
  private declaredInput?: InputLayer;
  /** The nodes the current chain recorded on the layers: dropped when the chain is rebuilt. */
  private chainNodes: Node[] = [];

  constructor(layers: (Layer | SymbolicTensor)[] = [], args: { name?: string; trainable?: boolean } = {}) {
    super({ name: args.name ?? uniqueName('sequential'), trainable: args.trainable } as ModelArgs<SymbolicTensor>);
    for (const layer of layers) this.add(layer);
  }

  /** Append a layer (or, first, an `input()` / `InputLayer` that fixes the input shape). */
  add(layer: Layer | SymbolicTensor): void {
    const source = isSymbolic(layer) ? layer.node.layer : layer;
    if (isSymbolic(layer) && !(source instanceof InputLayer)) throw new Error(`Sequential.add: a symbolic tensor can only be an input() (this one is the output of layer "${source.name}")`);
    if (!(source instanceof Layer)) throw new Error(`Sequential.add: expected a Layer, got ${layer === null ? 'null' : typeof layer}`);
    if (this.stack.includes(source)) throw new Error(`Sequential.add: layer "${source.name}" is already in the model`);
    if (source instanceof InputLayer) {
      if (this.stack.length || this.declaredInput) throw new Error('Sequential.add: an Input layer must come first');
      this.declaredInput = source;
      return;
    }
    if (!this.stack.length && source.batchInputShape && !this.declaredInput) this.declaredInput = new InputLayer({ shape: source.batchInputShape.slice(1) as number[], name: uniqueName('input_layer') });
    this.stack.push(source);
    if (this.declaredInput) this.chain(this.declaredInput);
  }

  /** Remove the last layer (Keras's `pop`). */
  pop(): Layer {
    const last = this.stack.pop();
    if (!last) throw new Error(`Sequential.pop: model "${this.name}" has no layers`);
    if (this.declaredInput && this.stack.length) this.chain(this.declaredInput);
    return last;
  }

  /** The layers (an `Input` is not listed, as in Keras 3). */
  override get layers(): Layer[] {
    return [...this.stack];
  }

  override get built(): boolean {
    return this.graph !== undefined && this.stack.length > 0 && this.stack.every((l) => l.built);
  }

  /** The declared input shape with the batch axis (`null`), when known. */
  override get inputShape(): LayerShape | undefined {
    return this.declaredInput?.batchInputShape;
  }

  override get inputNames(): string[] {
    return [this.declaredInput?.name ?? 'input_layer'];
  }
  override get outputNames(): string[] {
    const last = this.stack[this.stack.length - 1];
    return [last?.name ?? 'output'];
  }

  /** Build the layers not built yet, for inputs of `inputShape` (batch axis first). */
  override build(inputShape: LayerShapes): void {
    if (!this.stack.length) throw new Error(`Sequential "${this.name}" has no layers`);
    if (Array.isArray(inputShape[0])) throw new Error(`Sequential "${this.name}" takes one input, got shapes ${formatLayerShape(inputShape)}`);
    this.graphFor([(inputShape as LayerShape).slice(1) as number[]]);
  }

  /** The chain's graph; built on first use for inputs of `sampleShapes` when no input shape was declared. */
  override graphFor(sampleShapes?: readonly (readonly number[])[]): Graph {
    if (!this.stack.length) throw new Error(`Sequential "${this.name}" has no layers`);
    const current = this.graph;
    if (current && this.declaredInput) return current;
    if (!sampleShapes) throw new Error(`Sequential "${this.name}" is not built yet: give the first layer an inputShape, call build([null, ...featureShape]), or run it on data`);
    this.declaredInput = new InputLayer({ shape: sampleShapes[0], name: uniqueName('input_layer') });
    return this.chain(this.declaredInput);
  }

  /** Apply the stack to the input, one layer after another, and make that chain the model's graph. */
  private chain(input: InputLayer): Graph {
    for (const node of this.chainNodes) node.layer.inboundNodes.splice(node.layer.inboundNodes.indexOf(node), 1);
    const start = input.output;
    const end = this.stack.reduce((h, layer) => layer.apply(h), start);
    this.chainNodes = this.stack.map((layer) => layer.inboundNodes[layer.inboundNodes.length - 1]);
    const graph = buildGraph([start], [end], `Sequential "${this.name}"`);
    this.setGraph(graph, { form: 'one', names: [input.name] }, { form: 'one', names: [end.node.layer.name] });
    return graph;
  }

  /** Throws, naming the first layer and both shapes, when inputs of `shapes` do not fit the model. */
  override assertInputShapes(shapes: readonly (readonly number[])[]): void {
    const first = this.stack[0];
    if (!first) throw new Error(`Sequential "${this.name}" has no layers`);
    const [shape] = shapes;
    const declared = this.inputShape;
    if (first.built) first.assertInputShape(shape);
    else if (declared && (declared.length !== shape.length || declared.some((d, i) => d !== null && d !== shape[i]))) {
      throw new Error(`Input to layer "${first.name}" (${first.className}) is incompatible: expected shape ${formatLayerShape(declared)}, got ${formatLayerShape(shape)}`);
    }
  }

  /** The output shape for inputs of `shapes`, without building. */
  override outputShapesFor(shapes: readonly (readonly number[])[]): LayerShape[] {
    return [this.stack.reduce<LayerShape>((s, layer) => layer.computeOutputShape(s) as LayerShape, [null, ...shapes[0].slice(1)])];
  }

  /** Forward pass on one tensor (`training` enables dropout). Builds on first use. */
  override call(x: Tensor, options: { training?: boolean } = {}): Tensor {
    this.assertInputShapes([x.shape]);
    return super.call(x, options) as Tensor;
  }

  override summary(printFn: (line: string) => void = console.log): void {
    for (const line of sequentialSummary(this, this.stack, this.inputShape)) printFn(line);
  }

  override getConfig(): { name: string; layers: Array<{ className: string; config: Record<string, unknown> }> } {
    return { name: this.name, layers: this.stack.map((l) => ({ className: l.className, config: l.getConfig() })) };
  }
}
