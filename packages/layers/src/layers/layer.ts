import { Variable, tidy, type Tensor } from '@strata/core';
import type { Initializer } from '../initializers.ts';
import type { ActivationId } from '../activations.ts';

/** A shape with the batch axis first, `null` where the size is not fixed (Keras's `None`). */
export type LayerShape = readonly (number | null)[];

export interface CallOptions {
  /** True inside `fit`/`trainOnBatch`: enables training-only behaviour such as dropout. */
  training?: boolean;
}

/** Options every layer accepts. */
export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  /** Per-sample input shape (no batch axis); on the first layer it lets the model build immediately. */
  inputShape?: readonly number[];
}

export type LayerConfig = Record<string, unknown>;

const nameCounts = new Map<string, number>();

/** Keras-style unique names: `dense`, `dense_1`, `dense_2`, … per prefix. */
export function uniqueName(prefix: string): string {
  const n = nameCounts.get(prefix) ?? 0;
  nameCounts.set(prefix, n + 1);
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/** `Dense` → `dense`, `InputLayer` → `input_layer`. */
export function snakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

/** Keras's shape text: `(None, 512)`. */
export function formatLayerShape(shape: LayerShape): string {
  const dims = shape.map((d) => (d === null ? 'None' : String(d)));
  return dims.length === 1 ? `(${dims[0]},)` : `(${dims.join(', ')})`;
}

/**
 * The Keras layer contract: `build(inputShape)` creates the weights once the input shape is known,
 * `call(inputs, {training})` computes, `computeOutputShape` propagates shapes without computing, and
 * `getConfig()` describes the layer. `apply` builds on first use and checks the input shape.
 */
export abstract class Layer {
  /** The Keras class name shown by `summary()` and `getConfig()`. */
  abstract readonly className: string;
  readonly name: string;
  trainable: boolean;
  readonly inputShape?: readonly number[];
  built = false;
  private builtShape?: LayerShape;
  private readonly variables: Variable[] = [];

  constructor(args: LayerArgs, className: string) {
    this.name = args.name ?? uniqueName(snakeCase(className));
    this.trainable = args.trainable ?? true;
    if (args.inputShape) this.inputShape = [...args.inputShape];
  }

  /** Create weights for inputs of this shape (batch axis first). Subclasses call `super.build` last. */
  build(inputShape: LayerShape): void {
    this.builtShape = [...inputShape];
    this.built = true;
  }

  /** The input shape the layer was built for (batch axis first); Keras's `build_config`. */
  get builtInputShape(): LayerShape | undefined {
    return this.builtShape;
  }

  abstract call(inputs: Tensor, options: CallOptions): Tensor;

  computeOutputShape(inputShape: LayerShape): LayerShape {
    return inputShape;
  }

  getConfig(): LayerConfig {
    return { name: this.name, trainable: this.trainable, ...(this.inputShape ? { batchInputShape: [null, ...this.inputShape] } : {}) };
  }

  /** The activation applied last (`linear` when none); the model may fuse it into the loss. */
  get outputActivation(): ActivationId {
    return 'linear';
  }

  /** The output before `outputActivation` (the logits for a softmax/sigmoid layer). */
  callPreActivation(inputs: Tensor, options: CallOptions): Tensor {
    return this.call(inputs, options);
  }

  /** Build on first use, check the input shape, then `call`. */
  apply(inputs: Tensor, options: CallOptions = {}): Tensor {
    if (!this.built) this.build([null, ...inputs.shape.slice(1)]);
    this.assertInputShape(inputs.shape);
    return this.call(inputs, options);
  }

  /** Throws, naming the layer and both shapes, when `shape` (batch first) does not fit the built layer. */
  assertInputShape(shape: readonly number[]): void {
    const want = this.builtShape;
    if (!want) return;
    const fits = want.length === shape.length && want.every((d, i) => d === null || d === shape[i]);
    if (!fits) {
      throw new Error(`Input to layer "${this.name}" (${this.className}) is incompatible: expected shape ${formatLayerShape(want)}, got ${formatLayerShape(shape)}`);
    }
  }

  get weights(): Variable[] {
    return [...this.variables];
  }
  get trainableWeights(): Variable[] {
    return this.trainable ? this.variables.filter((v) => v.trainable) : [];
  }
  get nonTrainableWeights(): Variable[] {
    return this.trainable ? this.variables.filter((v) => !v.trainable) : [...this.variables];
  }

  countParams(): number {
    return this.variables.reduce((n, v) => n + v.size, 0);
  }

  protected addWeight(name: string, shape: readonly number[], initializer: Initializer, trainable = true): Variable {
    const v = tidy(() => new Variable(initializer.init(shape), `${this.name}/${name}`, trainable));
    this.variables.push(v);
    return v;
  }
}
