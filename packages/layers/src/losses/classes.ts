import type { Tensor } from '@strata/core';
import { z } from 'zod';
import { LossFunctionWrapper, lastAxis, lossOptions, parseLossOptions, type LossBaseOptions, type LossConfig } from './loss.ts';
import * as fn from './functions.ts';

type Labels = 'oneHot' | 'sparse' | 'dense';
type LossClass = new (options?: LossBaseOptions) => LossFunctionWrapper;

/** A Keras loss class whose only options are `reduction` and `name`, around a per-sample function. */
function plainLossClass(className: string, name: string, labels: Labels, perSample: (yTrue: Tensor, yPred: Tensor) => Tensor): LossClass {
  const schema = lossOptions(name);
  return class extends LossFunctionWrapper {
    override readonly className = className;
    readonly labels = labels;
    constructor(options: z.input<typeof schema> = {}) {
      super(parseLossOptions(schema, options, className));
    }
    perSample(yTrue: Tensor, yPred: Tensor): Tensor {
      return perSample(yTrue, yPred);
    }
  };
}

export const MeanSquaredError = plainLossClass('MeanSquaredError', 'mean_squared_error', 'dense', fn.meanSquaredError);
export const MeanAbsoluteError = plainLossClass('MeanAbsoluteError', 'mean_absolute_error', 'dense', fn.meanAbsoluteError);
export const MeanSquaredLogarithmicError = plainLossClass('MeanSquaredLogarithmicError', 'mean_squared_logarithmic_error', 'dense', fn.meanSquaredLogarithmicError);
export const KLDivergence = plainLossClass('KLDivergence', 'kl_divergence', 'dense', fn.klDivergence);
export const Poisson = plainLossClass('Poisson', 'poisson', 'dense', fn.poisson);
export const Hinge = plainLossClass('Hinge', 'hinge', 'dense', fn.hinge);
export const SquaredHinge = plainLossClass('SquaredHinge', 'squared_hinge', 'dense', fn.squaredHinge);
export const CategoricalHinge = plainLossClass('CategoricalHinge', 'categorical_hinge', 'oneHot', fn.categoricalHinge);
export const LogCosh = plainLossClass('LogCosh', 'log_cosh', 'dense', fn.logCosh);


const cosineOptions = lossOptions('cosine_similarity').extend({ axis: lastAxis });

/** Keras's `CosineSimilarity` loss: minus the cosine of target and prediction along the last axis. */
export class CosineSimilarity extends LossFunctionWrapper {
  override readonly className = 'CosineSimilarity';
  readonly labels = 'dense';

  constructor(options: z.input<typeof cosineOptions> = {}) {
    super(parseLossOptions(cosineOptions, options, 'CosineSimilarity'));
  }

  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return fn.cosineSimilarity(yTrue, yPred);
  }
}

const huberOptions = lossOptions('huber_loss').extend({ delta: z.number().positive().default(1) });

/** Keras's `Huber`: quadratic within `delta` of the target, linear beyond. */
export class Huber extends LossFunctionWrapper {
  override readonly className = 'Huber';
  readonly labels = 'dense';
  readonly delta: number;

  constructor(options: z.input<typeof huberOptions> = {}) {
    const o = parseLossOptions(huberOptions, options, 'Huber');
    super(o);
    this.delta = o.delta;
  }

  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return fn.huber(yTrue, yPred, this.delta);
  }

  // Keras 3.15's Huber.get_config() leaves delta out (so a saved delta is lost there); Keras's
  // from_config takes it, so Strata writes it and both load it.
  protected override ownConfig(): LossConfig {
    return { delta: this.delta };
  }
}

const focal = {
  alpha: z.number().min(0).max(1).default(0.25),
  gamma: z.number().nonnegative().default(2),
  fromLogits: z.boolean().default(false),
  labelSmoothing: z.number().min(0).max(1).default(0),
  axis: lastAxis,
};
const binaryFocalOptions = lossOptions('binary_focal_crossentropy').extend({ applyClassBalancing: z.boolean().default(false), ...focal });

/** Keras's `BinaryFocalCrossentropy` (Lin et al. 2017): binary cross-entropy down-weighting easy examples by `(1 - p_t)^gamma`. */
export class BinaryFocalCrossentropy extends LossFunctionWrapper {
  override readonly className = 'BinaryFocalCrossentropy';
  readonly labels = 'dense';
  readonly args: fn.BinaryFocalArgs;

  constructor(options: z.input<typeof binaryFocalOptions> = {}) {
    const o = parseLossOptions(binaryFocalOptions, options, 'BinaryFocalCrossentropy');
    super(o);
    this.args = { applyClassBalancing: o.applyClassBalancing, alpha: o.alpha, gamma: o.gamma, fromLogits: o.fromLogits, labelSmoothing: o.labelSmoothing };
  }

  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return fn.binaryFocalCrossentropy(yTrue, yPred, this.args);
  }

  protected override ownConfig(): LossConfig {
    const a = this.args;
    return { from_logits: a.fromLogits, label_smoothing: a.labelSmoothing, axis: -1, apply_class_balancing: a.applyClassBalancing, alpha: a.alpha, gamma: a.gamma };
  }
}

const categoricalFocalOptions = lossOptions('categorical_focal_crossentropy').extend(focal);

/** Keras's `CategoricalFocalCrossentropy`: categorical cross-entropy scaled by `alpha·(1 - p)^gamma` per class. */
export class CategoricalFocalCrossentropy extends LossFunctionWrapper {
  override readonly className = 'CategoricalFocalCrossentropy';
  readonly labels = 'oneHot';
  readonly args: fn.CategoricalFocalArgs;

  constructor(options: z.input<typeof categoricalFocalOptions> = {}) {
    const o = parseLossOptions(categoricalFocalOptions, options, 'CategoricalFocalCrossentropy');
    super(o);
    this.args = { alpha: o.alpha, gamma: o.gamma, fromLogits: o.fromLogits, labelSmoothing: o.labelSmoothing };
  }

  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return fn.categoricalFocalCrossentropy(yTrue, yPred, this.args);
  }

  protected override ownConfig(): LossConfig {
    const a = this.args;
    return { from_logits: a.fromLogits, label_smoothing: a.labelSmoothing, axis: -1, alpha: a.alpha, gamma: a.gamma };
  }
}
