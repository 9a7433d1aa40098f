import { Tensor, Variable, tidy } from '@strata/core';
import { unknownOption } from '../identifiers.ts';
import { classNameFromClass } from '../serialization.ts';
import type { Initializer } from '../initializers.ts';
import type { ActivationId } from '../activations.ts';
import { Node, SymbolicTensor, isSymbolic } from './symbolic.ts';

/** A shape with the batch axis first, `null` where the size is not fixed (Keras's `None`). */
export type LayerShape = readonly (number | null)[];

export interface CallOptions {
  /** True inside `fit`/`trainOnBatch`: enables training-only behaviour such as dropout. */
  training?: boolean;
  /**
   * The mask of the input (Keras's masking): true where a timestep holds data, e.g. [batch, timesteps]
   * from `Embedding({maskZero: true})`. A model passes each layer the mask its input carries.
   */
  mask?: Tensor;
}

/** Options every layer accepts. */
export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  /** Per-sample input shape (no batch axis); on the first layer it lets the model build immediately. */
  inputShape?: readonly number[];
}

export type LayerConfig = Record<string, unknown>;

/** A layer's input: one tensor, or a list for layers that take several (merge layers, models). */
export type LayerInputs = Tensor | Tensor[];
/** Shapes matching `LayerInputs`: one shape, or one per input. */
export type LayerShapes = LayerShape | LayerShape[];

/** True when `shapes` is a list of shapes rather than one shape. */
export const isShapeList = (shapes: LayerShapes): shapes is LayerShape[] => Array.isArray(shapes[0]);

/** One shape fits another when ranks agree and every size known on both sides is equal. */
function shapeFits(want: LayerShape, got: LayerShape): boolean {
  return want.length === got.length && want.every((d, i) => d === null || got[i] === null || d === got[i]);
}

const nameCounts = new Map<string, number>();

/** Keras-style unique names: `dense`, `dense_1`, `dense_2`, … per prefix. */
export function uniqueName(prefix: string): string {
  const n = nameCounts.get(prefix) ?? 0;
  nameCounts.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/** `Dense` → `dense`, `InputLayer` → `input_layer`. */
export function snakeCase(name: string): string {
  // Keras's to_snake_case: a digit joins the capital after it (Conv2D → conv2d, MaxPooling2D → max_pooling2d).
  return name.replace(/\W+/g, '').replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Keras's shape text: `(None, 512)`; a list of shapes as `[(None, 4), (None, 8)]`. */
export function formatLayerShape(shape: LayerShapes): string {
  if (isShapeList(shape)) return `[${shape.map((s) => formatLayerShape(s)).join(', ')}]`;
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/**
 * The Keras layer contract: `build(inputShape)` creates the weights once the input shape is known,
 * `call(inputs, {training})` computes, `computeOutputShape` propagates shapes without computing, and
 * `getConfig()` describes the layer. `apply` builds on first use and checks the input shape; applied to
 * symbolic tensors (`input()`), it records a `Node` of a graph instead of computing.
 *
 * Layers that take one tensor narrow `call`/`build`/`computeOutputShape` to `Tensor`/`LayerShape`;
 * layers that take a list (merge layers) narrow them to arrays.
 */
export abstract class Layer {
  /**
   * The Keras class name shown by `summary()` and `getConfig()`: the JavaScript class's name unless a
   * subclass says otherwise (a getter on the prototype, see serialization.ts).
   */
  declare readonly className: string;
  readonly name: string;
  trainable: boolean;
  /** `[null, ...inputShape]` when the layer was given an `inputShape` (tfjs's `batchInputShape`). */
  readonly batchInputShape?: LayerShape;
  private isBuilt = false;
  /** The calls of this layer on symbolic tensors, in order (one per `apply`; more than one: shared weights). */
  readonly inboundNodes: Node[] = [];
  private builtShape?: LayerShapes;
  private readonly variables: Variable[] = [];

  /**
   * `className` names the default prefix of the layer's name (`dense`, `dense_1`, …); it defaults to the
   * subclass's name. `options`, when given, are the subclass's own option names: any other key of `args`
   * (beyond name, trainable, inputShape) is an error naming the closest valid one.
   */
  constructor(args: LayerArgs = {}, className?: string, options?: readonly string[]) {
    const layerClass = className ?? new.target.name;
    if (typeof args !== 'object' || args === null) throw new Error(`${layerClass}: expected an options object, got ${args === null ? 'null' : typeof args}`);
    if (options) {
      const known = [...options, 'name', 'trainable', 'inputShape'];
      const unknown = Object.keys(args).find((k) => !known.includes(k));
      if (unknown) throw new Error(`${layerClass}: ${unknownOption(unknown, known)}`);
    }
    this.name = args.name ?? uniqueName(snakeCase(layerClass));
    if (typeof this.name !== 'string' || !this.name) throw new Error(`Layer: name must be a non-empty string, got ${JSON.stringify(args.name)}`);
    this.trainable = args.trainable ?? true;
    if (args.inputShape) this.batchInputShape = [null, ...args.inputShape];
  }

  /** True once `build` has created the weights. */
  get built(): boolean {
    return this.isBuilt;
  }

  /** The input shape with the batch axis (`null`): as built, else as declared by `inputShape` (tfjs's `layer.inputShape`). */
  get inputShape(): LayerShapes | undefined {
    return this.builtShape ?? this.batchInputShape;
  }

  /** Create weights for inputs of this shape (batch axis first). Subclasses call `super.build` last. */
  build(inputShape: LayerShapes): void {
    this.builtShape = isShapeList(inputShape) ? inputShape.map((s) => [...s]) : [...inputShape];
    this.isBuilt = true;
  }

  /** The input shape the layer was built for (batch axis first); Keras's `build_config`. */
  get builtInputShape(): LayerShapes | undefined {
    return this.builtShape;
  }

  abstract call(inputs: LayerInputs, options: CallOptions): Tensor | Tensor[];

  /** True when the layer passes its input's mask on unchanged (Keras's `supports_masking`). */
  supportsMasking = false;

  /**
   * True for layers that cannot use a mask (Flatten, Reshape: their output has no timestep axis left to
   * mask). In a model the mask stops there, as in Keras; passed to `apply` directly it is an error.
   */
  readonly refusesMask: boolean = false;

  /**
   * The mask of the output, from the inputs and their mask (Keras's `compute_mask`). By default the input's
   * mask passes through a layer that supports masking and stops at one that does not.
   */
  computeMask(_inputs: LayerInputs, mask: Tensor | undefined): Tensor | undefined {
    return this.supportsMasking ? mask : undefined;
  }

  computeOutputShape(inputShape: LayerShapes): LayerShapes {
    return inputShape;
  }

  /** The output of the layer's only call on symbolic tensors (Keras's `layer.output`). */
  get output(): SymbolicTensor {
    const node = this.onlyNode('output');
    if (node.outputs.length !== 1) throw new Error(`Layer "${this.name}" has ${node.outputs.length} outputs; use layer.inboundNodes[0].outputs`);
    return node.outputs[0];
  }

  /** The input of the layer's only call on symbolic tensors (Keras's `layer.input`). */
  get input(): SymbolicTensor | SymbolicTensor[] {
    const node = this.onlyNode('input');
    return node.listInput ? [...node.inputs] : node.inputs[0];
  }

  private onlyNode(what: string): Node {
    if (this.inboundNodes.length === 1) return this.inboundNodes[0];
    throw new Error(this.inboundNodes.length
      ? `Layer "${this.name}" has been called ${this.inboundNodes.length} times, so layer.${what} is ambiguous; use layer.inboundNodes[i]`
      : `Layer "${this.name}" has not been called on a symbolic tensor yet, so it has no ${what}`);
  }

  getConfig(): LayerConfig {
    return { name: this.name, trainable: this.trainable, ...(this.batchInputShape ? { batchInputShape: [...this.batchInputShape] } : {}) };
  }

  /** The activation applied last (`linear` when none); the model may fuse it into the loss. */
  get outputActivation(): ActivationId {
    return 'linear';
  }

  /** The output before `outputActivation` (the logits for a softmax/sigmoid layer). */
  callPreActivation(inputs: Tensor, options: CallOptions): Tensor {
    return this.call(inputs, options) as Tensor;
  }

  /**
   * On tensors: build on first use, check the input shape, then `call`. On symbolic tensors: build, check,
   * and record the call as a graph node; returns the symbolic output. A list applies a merge layer.
   */
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[], options?: CallOptions): SymbolicTensor;
  apply(inputs: Tensor | readonly Tensor[], options?: CallOptions): Tensor;
  apply(inputs: Tensor | SymbolicTensor | readonly (Tensor | SymbolicTensor)[], options: CallOptions = {}): Tensor | SymbolicTensor {
    const outputs = this.applyOutputs(inputs as Tensor | readonly Tensor[], options);
    if (outputs.length !== 1) throw new Error(`Layer "${this.name}" has ${outputs.length} outputs; use applyOutputs() to get them all`);
    return outputs[0];
  }

  /** `apply` for layers with several outputs (a nested model): every output, in order. */
  applyOutputs(inputs: SymbolicTensor | readonly SymbolicTensor[], options?: CallOptions): SymbolicTensor[];
  applyOutputs(inputs: Tensor | readonly Tensor[], options?: CallOptions): Tensor[];
  applyOutputs(inputs: Tensor | SymbolicTensor | readonly (Tensor | SymbolicTensor)[], options: CallOptions = {}): Tensor[] | SymbolicTensor[] {
    const list = Array.isArray(inputs);
    const items: readonly unknown[] = list ? inputs : [inputs];
    if (items.length === 0) throw new Error(`Layer "${this.name}" (${this.className}) was called on an empty list`);
    if (items.every(isSymbolic)) return this.applySymbolic([...items], list);
    const bad = items.findIndex((t) => !(t instanceof Tensor));
    if (bad >= 0) {
      const got = items[bad];
      const what = isSymbolic(got) ? 'a mix of symbolic and concrete tensors' : got === null ? 'null' : typeof got;
      throw new Error(`Layer "${this.name}" (${this.className}) expects tensors or symbolic tensors${list ? ` (input ${bad})` : ''}, got ${what}`);
    }
    const tensors = items as Tensor[];
    if (options.mask && this.refusesMask) {
      throw new Error(`Layer "${this.name}" (${this.className}) cannot take a mask, but its input carries one (from an Embedding with maskZero, or a Masking layer, before it); put the layers that use the mask (SimpleRNN, LSTM, GRU, Bidirectional) before "${this.name}", or turn the masking off`);
    }
    const shapes: LayerShapes = list ? tensors.map((t) => t.shape) : tensors[0].shape;
    if (!this.built) this.build(list ? tensors.map((t) => [null, ...t.shape.slice(1)]) : [null, ...tensors[0].shape.slice(1)]);
    this.assertInputShape(shapes);
    const out = this.call(list ? tensors : tensors[0], options);
    return Array.isArray(out) ? out : [out];
  }

  private applySymbolic(inputs: SymbolicTensor[], list: boolean): SymbolicTensor[] {
    const shapes: LayerShapes = list ? inputs.map((t) => t.shape) : inputs[0].shape;
    let out: LayerShapes;
    try {
      if (!this.built) this.build(shapes);
      this.assertInputShape(shapes);
      out = this.computeOutputShape(shapes);
    } catch (error) {
      // name where the inputs come from: the graph is being built, so that is what the user can fix
      const from = inputs.map((t) => `"${t.node.layer.name}" ${formatLayerShape(t.shape)}`).join(', ');
      throw new Error(`${(error as Error).message}; the input${inputs.length > 1 ? 's come' : ' comes'} from layer${inputs.length > 1 ? 's' : ''} ${from}`, { cause: error });
    }
    const node = new Node(this, inputs, list, isShapeList(out) ? out : [out], 'float32');
    this.inboundNodes.push(node);
    return node.outputs;
  }

  /** Throws, naming the layer and both shapes, when `shape` (batch first) does not fit the built layer. */
  assertInputShape(shape: LayerShapes): void {
    const want = this.builtShape;
    if (!want) return;
    const wantList = isShapeList(want);
    const gotList = isShapeList(shape);
    const fits = wantList && gotList
      ? want.length === shape.length && want.every((w, i) => shapeFits(w, shape[i]))
      : !wantList && !gotList && shapeFits(want, shape);
    if (!fits) {
      throw new Error(`Input to layer "${this.name}" (${this.className}) is incompatible: expected shape ${formatLayerShape(want)}, got ${formatLayerShape(shape)}`);
    }
  }

  /** Layers inside this one (a nested model's layers): saved under `<key>/layers/…` in `.weights.h5`. */
  get childLayers(): Layer[] {
    return [];
  }

  /**
   * Layers this one holds as named attributes (an RNN's `cell`, a wrapper's `layer`): their weights are
   * this layer's too, after its own, and `.weights.h5` keeps them at `<key>/<attribute>/vars` as Keras does.
   */
  get attributeLayers(): ReadonlyArray<readonly [string, Layer]> {
    return [];
  }

  get weights(): Variable[] {
    return [...this.variables, ...this.attributeLayers.flatMap(([, l]) => l.weights)];
  }
  get trainableWeights(): Variable[] {
    return this.trainable ? [...this.variables.filter((v) => v.trainable), ...this.attributeLayers.flatMap(([, l]) => l.trainableWeights)] : [];
  }
  get nonTrainableWeights(): Variable[] {
    return this.trainable ? [...this.variables.filter((v) => !v.trainable), ...this.attributeLayers.flatMap(([, l]) => l.nonTrainableWeights)] : this.weights;
  }

  /** The layer's own variables, without its attribute layers' (what `<key>/vars` holds). */
  get ownWeights(): Variable[] {
    return [...this.variables];
  }

  countParams(): number {
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  protected addWeight(name: string, shape: readonly number[], initializer: Initializer, trainable = true): Variable {
    const v = tidy(() => new Variable(initializer.init(shape), `${this.name}/${name}`, trainable));
    this.variables.push(v);
    return v;
  }
}

classNameFromClass(Layer);
