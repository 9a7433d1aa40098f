import { cast, div, greaterEqual, mul, randomSeed, randomUniform, type Tensor } from '@strata/core';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig } from './layer.ts';

export interface DropoutArgs extends LayerArgs {
  /** Fraction of inputs to drop, in [0, 1). */
  rate: number;
  /** Seeds the sequence of masks (each training call draws the next one). */
  seed?: number;
}

/**
 * Zeroes a `rate` fraction of inputs and scales the rest by 1 / (1 - rate), only when `training` is
 * true. Masks come from core's counter-based generator: call k uses seed hash(seed, k), so a seeded
 * layer gives the same masks on every backend and every run.
 */
export class Dropout extends Layer {
  override readonly className = 'Dropout';
  override supportsMasking = true;
  readonly rate: number;
  readonly seed: number;
  private calls = 0;

  constructor(args: DropoutArgs) {
    super(args, 'Dropout', ['rate', 'seed']);
    if (!(args.rate >= 0 && args.rate < 1)) throw new Error(`Dropout: rate must be in [0, 1), got ${args.rate}`);
    this.rate = args.rate;
    this.seed = args.seed ?? randomSeed();
  }

  call(inputs: Tensor, options: CallOptions): Tensor {
    if (!options.training || this.rate === 0) return inputs;
    const seed = (this.seed + Math.imul(++this.calls, 0x9e3779b9)) >>> 0;
    const keepMask = cast(greaterEqual(randomUniform(inputs.shape, 0, 1, { seed }), this.rate), 'float32');
    return div(mul(inputs, keepMask), 1 - this.rate);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
