import type { DType, Tensor } from '@strata/core';
import { unknownOption } from '../identifiers.ts';
import { Layer, type CallOptions, type LayerConfig } from './layer.ts';
import { Node, type SymbolicTensor } from './symbolic.ts';

export interface InputArgs {
  /** Per-sample shape (no batch axis). */
  shape: readonly number[];
  name?: string;
  /** Default `'float32'`. */
  dtype?: DType;
}

/**
 * The source of a model's input (Keras's `InputLayer`). It owns one node with no inputs whose output is
 * the symbolic tensor `input()` returns. In a `Sequential` it only fixes the input shape and is not listed
 * in `model.layers`, as in Keras 3.
 */
export class InputLayer extends Layer {
  override readonly className = 'InputLayer';
  readonly dtype: DType;

  constructor(args: InputArgs) {
    if (typeof args !== 'object' || args === null) throw new Error(`Input: expected options {shape, name?, dtype?}, got ${args === null ? 'null' : typeof args}`);
    const unknown = Object.keys(args).find((k) => !['shape', 'name', 'dtype'].includes(k));
    if (unknown) throw new Error(`Input: ${unknownOption(unknown, ['shape', 'name', 'dtype'])}`);
    if (!Array.isArray(args.shape) || args.shape.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new Error(`Input: shape must be an array of positive integers (the sizes of one sample, without the batch axis), got ${JSON.stringify(args.shape)}`);
    }
    if (args.dtype !== undefined && args.dtype !== 'float32' && args.dtype !== 'int32') throw new Error(`Input: dtype must be 'float32' or 'int32', got ${JSON.stringify(args.dtype)}`);
    super({ name: args.name, inputShape: args.shape }, 'InputLayer');
    this.dtype = args.dtype ?? 'float32';
    const batchShape = [null, ...args.shape];
    this.build(batchShape);
    this.inboundNodes.push(new Node(this, [], false, [batchShape], this.dtype));
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    return inputs;
  }

  override getConfig(): LayerConfig {
    return { name: this.name, batchShape: this.batchInputShape, dtype: this.dtype };
  }
}

/**
 * `input({shape: [784]})`: a symbolic tensor to build a functional model from (Keras's `keras.Input`).
 * Its shape has the batch axis first, as `null`.
 */
export function input(args: InputArgs): SymbolicTensor {
  return new InputLayer(args).output;
}

/** Keras's capitalized spelling of `input()`. */
export const Input = input;
