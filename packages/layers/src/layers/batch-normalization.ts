import { reshape, type Tensor, type Variable } from '@strata/core';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../initializers.ts';
import { Layer, formatLayerShape, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.ts';
import { maskedMoments, moments, normalize, type Moments } from './normalization.ts';
import { updateMovingAverage } from './state-updates.ts';

export interface BatchNormalizationArgs extends LayerArgs {
  /** The features axis (normalized per entry of it); default -1. */
  axis?: number;
  /** Momentum of the moving mean and variance; default 0.99. */
  momentum?: number;
  /** Added to the variance; default 1e-3. */
  epsilon?: number;
  /** Add the learned offset `beta`; default true. */
  center?: boolean;
  /** Multiply by the learned scale `gamma`; default true. */
  scale?: boolean;
  betaInitializer?: InitializerIdentifier;
  gammaInitializer?: InitializerIdentifier;
  movingMeanInitializer?: InitializerIdentifier;
  movingVarianceInitializer?: InitializerIdentifier;
}

/** A layer's option as a finite number in a range, or an error naming the layer and the option. */
export function checkedNumber(layer: string, option: string, value: number, valid: (v: number) => boolean, range: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !valid(value)) throw new Error(`${layer}: ${option} must be ${range}, got ${String(value)}`);
  return value;
}

/**
 * Keras's BatchNormalization. Training (`fit`, `trainOnBatch`, or `training: true` on a trainable layer)
 * normalizes with the batch's mean and variance and moves `moving_mean`/`moving_variance` toward them
 * (`moving · momentum + batch · (1 − momentum)`, applied after the step's gradients, never taped);
 * inference (`evaluate`, `predict`, or a frozen layer) uses the moving statistics. Weights, in Keras's
 * order: gamma, beta (trainable), moving_mean, moving_variance (non-trainable).
 */
export class BatchNormalization extends Layer {
  override readonly className = 'BatchNormalization';
  override supportsMasking = true;
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  private readonly initializers: Record<'beta' | 'gamma' | 'movingMean' | 'movingVariance', Initializer>;
  gamma?: Variable;
  beta?: Variable;
  movingMean?: Variable;
  movingVariance?: Variable;

  constructor(args: BatchNormalizationArgs = {}) {
    super(args, 'BatchNormalization', ['axis', 'momentum', 'epsilon', 'center', 'scale', 'betaInitializer', 'gammaInitializer', 'movingMeanInitializer', 'movingVarianceInitializer']);
    const where = `BatchNormalization "${this.name}"`;
    this.axis = checkedNumber(where, 'axis', args.axis ?? -1, Number.isInteger, 'an integer');
    this.momentum = checkedNumber(where, 'momentum', args.momentum ?? 0.99, (m) => m >= 0 && m <= 1, 'in [0, 1]');
    this.epsilon = checkedNumber(where, 'epsilon', args.epsilon ?? 1e-3, (e) => e > 0, 'a positive number');
    this.center = args.center ?? true;
    this.scale = args.scale ?? true;
    this.initializers = {
      beta: getInitializer(args.betaInitializer ?? 'zeros'),
      gamma: getInitializer(args.gammaInitializer ?? 'ones'),
      movingMean: getInitializer(args.movingMeanInitializer ?? 'zeros'),
      movingVariance: getInitializer(args.movingVarianceInitializer ?? 'ones'),
    };
  }

  /** The axis as a non-negative index into a shape of this rank; an error naming the layer when out of range. */
  private featureAxis(shape: LayerShape): number {
    const rank = shape.length;
    if (this.axis < -rank || this.axis >= rank || this.axis === 0 || this.axis === -rank) {
      throw new Error(`BatchNormalization "${this.name}": axis ${this.axis} is invalid for input shape ${formatLayerShape(shape)}; valid axes are 1 to ${rank - 1} or -1 to ${1 - rank} (not the batch axis)`);
    }
    return this.axis < 0 ? this.axis + rank : this.axis;
  }

  override build(inputShape: LayerShape): void {
    const features = inputShape[this.featureAxis(inputShape)];
    if (features === null) throw new Error(`BatchNormalization "${this.name}": axis ${this.axis} of the input shape ${formatLayerShape(inputShape)} must be known`);
    if (this.scale) this.gamma = this.addWeight('gamma', [features], this.initializers.gamma);
    if (this.center) this.beta = this.addWeight('beta', [features], this.initializers.beta);
    this.movingMean = this.addWeight('moving_mean', [features], this.initializers.movingMean, false);
    this.movingVariance = this.addWeight('moving_variance', [features], this.initializers.movingVariance, false);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    this.featureAxis(inputShape);
    return inputShape;
  }

  call(inputs: Tensor, options: CallOptions): Tensor {
    const { movingMean, movingVariance } = this;
    if (!movingMean || !movingVariance) throw new Error(`BatchNormalization "${this.name}" is not built`);
    const axis = this.featureAxis(inputs.shape);
    // a [features] weight viewed with size-1 axes around the feature axis
    const view = (w: Tensor): Tensor => (axis === inputs.rank - 1 ? w : reshape(w, inputs.shape.map((d, i) => (i === axis ? d : 1))));
    const gamma = this.gamma && view(this.gamma);
    const beta = this.beta && view(this.beta);
    if (!options.training || !this.trainable) {
      return normalize(inputs, { mean: view(movingMean), variance: view(movingVariance) }, this.epsilon, gamma, beta);
    }
    const stats = this.batchMoments(inputs, axis, options.mask);
    updateMovingAverage(movingMean, stats.mean, this.momentum);
    updateMovingAverage(movingVariance, stats.variance, this.momentum);
    return normalize(inputs, stats, this.epsilon, gamma, beta);
  }

  private batchMoments(inputs: Tensor, axis: number, mask: Tensor | undefined): Moments {
    const axes = inputs.shape.map((_, i) => i).filter((i) => i !== axis);
    if (!mask) return moments(inputs, axes);
    if (mask.rank !== inputs.rank - 1) {
      throw new Error(`BatchNormalization "${this.name}": the mask must have one axis less than the input, got mask shape ${formatLayerShape(mask.shape)} for input ${formatLayerShape(inputs.shape)}`);
    }
    return maskedMoments(inputs, mask, axes);
  }

  override getConfig(): LayerConfig {
    const init = (i: Initializer): LayerConfig => ({ className: i.className, config: i.getConfig() });
    return {
      ...super.getConfig(),
      axis: this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: init(this.initializers.beta),
      gammaInitializer: init(this.initializers.gamma),
      movingMeanInitializer: init(this.initializers.movingMean),
      movingVarianceInitializer: init(this.initializers.movingVariance),
    };
  }
}
