import type { Tensor } from '@strata/core';
import { Layer, type CallOptions, type LayerConfig } from './layer.ts';

export interface InputArgs {
  /** Per-sample shape (no batch axis). */
  shape: readonly number[];
  name?: string;
}

/**
 * Declares the model's input shape (Keras's `Input` / `InputLayer`). In a `Sequential` it only fixes the
 * shape the other layers build from; it is not listed in `model.layers`, as in Keras 3.
 */
export class InputLayer extends Layer {
  readonly className = 'InputLayer';

  constructor(args: InputArgs) {
    if (!Array.isArray(args.shape) || args.shape.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new Error(`Input: shape must be an array of positive integers, got ${JSON.stringify(args.shape)}`);
    }
    super({ name: args.name, inputShape: args.shape }, 'InputLayer');
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    return inputs;
  }

  override getConfig(): LayerConfig {
    return { name: this.name, batchShape: [null, ...(this.inputShape ?? [])] };
  }
}

/** `Input({shape: [784]})`, Keras's functional spelling. */
export function Input(args: InputArgs): InputLayer {
  return new InputLayer(args);
}
