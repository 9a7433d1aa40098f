import { cast, gather, notEqual, reshape, type Tensor, type Variable } from '@strata/core';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../initializers.ts';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.ts';

export interface EmbeddingArgs extends LayerArgs {
  /** Size of the vocabulary: indices are in [0, inputDim). */
  inputDim: number;
  /** Size of each vector. */
  outputDim: number;
  embeddingsInitializer?: InitializerIdentifier;
  /** Index 0 is padding: the output's mask is false there, so recurrent layers skip those steps. */
  maskZero?: boolean;
}

/**
 * Keras's `Embedding`: integer indices (any shape, given as float32 or int32) to rows of an
 * (inputDim, outputDim) table. An index outside [0, inputDim) is an error naming it: checked once before
 * `fit`/`evaluate`/`trainOnBatch` on every backend, and in each inference call where the indices can be
 * read synchronously (the CPU backend; on WebGPU that would cost a read-back per `predict`).
 */
export class Embedding extends Layer {
  override readonly className = 'Embedding';
  readonly inputDim: number;
  readonly outputDim: number;
  readonly maskZero: boolean;
  private readonly embeddingsInitializer: Initializer;
  embeddings?: Variable;

  constructor(args: EmbeddingArgs) {
    super(args, 'Embedding', ['inputDim', 'outputDim', 'embeddingsInitializer', 'maskZero']);
    for (const key of ['inputDim', 'outputDim'] as const) {
      if (!Number.isInteger(args[key]) || args[key] < 1) throw new Error(`Embedding: ${key} must be a positive integer, got ${args[key]}`);
    }
    this.inputDim = args.inputDim;
    this.outputDim = args.outputDim;
    this.maskZero = args.maskZero ?? false;
    this.embeddingsInitializer = getInitializer(args.embeddingsInitializer ?? 'random_uniform');
  }

  override build(inputShape: LayerShape): void {
    this.embeddings = this.addWeight('embeddings', [this.inputDim, this.outputDim], this.embeddingsInitializer);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return [...inputShape, this.outputDim];
  }

  override computeMask(inputs: Tensor): Tensor | undefined {
    return this.maskZero ? notEqual(inputs, 0) : undefined;
  }

  /** Throws naming the first index outside [0, inputDim) (and where it is). */
  checkIndices(values: ArrayLike<number>): void {
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (!(Number.isInteger(v) && v >= 0 && v < this.inputDim)) {
        throw new Error(`Embedding "${this.name}": index ${v} (at flat position ${i} of the input) is out of range; indices must be integers in [0, ${this.inputDim}) (inputDim ${this.inputDim})`);
      }
    }
  }

  call(inputs: Tensor, options: CallOptions): Tensor {
    if (!this.embeddings) throw new Error(`Embedding "${this.name}" is not built`);
    // fit/evaluate/trainOnBatch checked their inputs already (training/index-check.ts)
    if (!options.training && inputs.backend.readSync) this.checkIndices(inputs.dataSync());
    const flat = reshape(inputs.dtype === 'int32' ? inputs : cast(inputs, 'int32'), [-1]);
    return reshape(gather(this.embeddings, flat), [...inputs.shape, this.outputDim]);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      inputDim: this.inputDim,
      outputDim: this.outputDim,
      embeddingsInitializer: { className: this.embeddingsInitializer.className, config: this.embeddingsInitializer.getConfig() },
      maskZero: this.maskZero,
    };
  }
}
