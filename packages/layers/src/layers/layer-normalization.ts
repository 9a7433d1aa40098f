import { add, mul, reshape, rsqrt, type Tensor, type Variable } from '@strata/core';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../initializers.ts';
import { checkedNumber } from './batch-normalization.ts';
import { Layer, formatLayerShape, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.ts';
import { moments, normalize } from './normalization.ts';

export interface LayerNormalizationArgs extends LayerArgs {
  /** The axis or axes each sample is normalized over; default -1. */
  axis?: number | readonly number[];
  /** Added to the variance; default 1e-3. */
  epsilon?: number;
  /** Add the learned offset `beta`; default true. */
  center?: boolean;
  /** Multiply by the learned scale `gamma`; default true. */
  scale?: boolean;
  /**
   * Keras 3's deprecated `rms_scaling`: `x · rsqrt(var(x) + epsilon) · gamma` (no centering, no beta; the
   * variance, not the root mean square, as Keras computes it). Kept so such saved models load.
   */
  rmsScaling?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
}

/**
 * Keras's LayerNormalization: each sample is normalized by its own mean and variance over `axis`, then
 * scaled by `gamma` and shifted by `beta` (both shaped like the normalized axes). The same in training
 * and inference.
 */
export class LayerNormalization extends Layer {
  override readonly className = 'LayerNormalization';
  override supportsMasking = true;
  readonly axis: number | readonly number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly rmsScaling: boolean;
  private readonly betaInitializer: Initializer;
  private readonly gammaInitializer: Initializer;
  gamma?: Variable;
  beta?: Variable;

  constructor(args: LayerNormalizationArgs = {}) {
    super(args, 'LayerNormalization', ['axis', 'epsilon', 'center', 'scale', 'rmsScaling', 'betaInitializer', 'gammaInitializer']);
    const where = `LayerNormalization "${this.name}"`;
    const axis = args.axis ?? -1;
    const list = typeof axis === 'number' ? [axis] : axis;
    if (!Array.isArray(list) || list.length === 0 || list.some((a) => !Number.isInteger(a))) {
      throw new Error(`${where}: axis must be an integer or a non-empty list of integers, got ${JSON.stringify(axis)}`);
    }
    this.axis = typeof axis === 'number' ? axis : [...list];
    this.epsilon = checkedNumber(where, 'epsilon', args.epsilon ?? 1e-3, (e) => e > 0, 'a positive number');
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.rmsScaling = args.rmsScaling ?? false;
    this.betaInitializer = getInitializer(args.betaInitializer ?? 'zeros');
    this.gammaInitializer = getInitializer(args.gammaInitializer ?? 'ones');
  }

  /** The normalized axes as sorted non-negative indices; an error naming the layer when one is out of range. */
  private axes(shape: LayerShape): number[] {
    const rank = shape.length;
    const given = typeof this.axis === 'number' ? [this.axis] : this.axis;
    const bad = given.find((a) => a < -rank || a >= rank || a === 0 || a === -rank);
    if (bad !== undefined) {
      throw new Error(`LayerNormalization "${this.name}": axis ${bad} is invalid for input shape ${formatLayerShape(shape)}; valid axes are 1 to ${rank - 1} or -1 to ${1 - rank} (not the batch axis)`);
    }
    const axes = [...new Set(given.map((a) => (a < 0 ? a + rank : a)))].sort((a, b) => a - b);
    if (axes.length !== given.length) throw new Error(`LayerNormalization "${this.name}": axis [${given.join(', ')}] names an axis twice`);
    return axes;
  }

  override build(inputShape: LayerShape): void {
    const axes = this.axes(inputShape);
    const shape = axes.map((a) => inputShape[a]);
    if (shape.some((d) => d === null)) throw new Error(`LayerNormalization "${this.name}": the normalized axes of the input shape ${formatLayerShape(inputShape)} must be known`);
    const dims = shape as number[];
    if (this.scale || this.rmsScaling) this.gamma = this.addWeight('gamma', dims, this.gammaInitializer);
    if (this.center && !this.rmsScaling) this.beta = this.addWeight('beta', dims, this.betaInitializer);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    this.axes(inputShape);
    return inputShape;
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    if (!this.built) throw new Error(`LayerNormalization "${this.name}" is not built`);
    const axes = this.axes(inputs.shape);
    const lastOnly = axes.length === 1 && axes[0] === inputs.rank - 1;
    const view = (w: Tensor): Tensor => (lastOnly ? w : reshape(w, inputs.shape.map((d, i) => (axes.includes(i) ? d : 1))));
    const gamma = this.gamma && view(this.gamma);
    const stats = moments(inputs, axes);
    if (this.rmsScaling) {
      const scaled = mul(inputs, rsqrt(add(stats.variance, this.epsilon)));
      return gamma ? mul(scaled, gamma) : scaled;
    }
    return normalize(inputs, stats, this.epsilon, gamma, this.beta && view(this.beta));
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      axis: typeof this.axis === 'number' ? this.axis : [...this.axis],
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      rmsScaling: this.rmsScaling,
      betaInitializer: { className: this.betaInitializer.className, config: this.betaInitializer.getConfig() },
      gammaInitializer: { className: this.gammaInitializer.className, config: this.gammaInitializer.getConfig() },
    };
  }
}
