import { abs, add, cast, div, exp, log, logSoftmax, mean, mul, neg, oneHot, relu, reshape, sub, sum, type Tensor } from '@strata/core';
import { z } from 'zod';
import { LossFunctionWrapper, alignTarget, clipProbabilities, lastAxis, lossOptions, parseLossOptions, type Loss, type LossConfig } from './loss.ts';

/** Integer class indices ([batch] or [batch, 1], any numeric dtype) as one-hot rows. */
export function sparseToOneHot(yTrue: Tensor, depth: number): Tensor {
  const flat = reshape(yTrue, [-1]);
  return oneHot(flat.dtype === 'int32' ? flat : cast(flat, 'int32'), depth);
}

/** `-Σ y·log(p)` over the last axis, p normalised to sum 1 and clipped (Keras's probabilities path). */
export function categoricalFromProbabilities(oneHotTrue: Tensor, yPred: Tensor): Tensor {
  const p = clipProbabilities(div(yPred, sum(yPred, -1, true)));
  return neg(sum(mul(oneHotTrue, log(p)), -1));
}

export function categoricalFromLogits(oneHotTrue: Tensor, logits: Tensor): Tensor {
  return neg(sum(mul(oneHotTrue, logSoftmax(logits, -1)), -1));
}

/** Element-wise binary cross-entropy of clipped probabilities. */
export function binaryElementwise(y: Tensor, yPred: Tensor): Tensor {
  const p = clipProbabilities(yPred);
  return neg(add(mul(y, log(p)), mul(sub(1, y), log(sub(1, p)))));
}

/** Element-wise binary cross-entropy of logits, `max(x, 0) - x·y + log(1 + exp(-|x|))`: no overflow for any x. */
export function binaryElementwiseFromLogits(y: Tensor, logits: Tensor): Tensor {
  return add(sub(relu(logits), mul(logits, y)), log(add(1, exp(neg(abs(logits))))));
}

/** Keras's label smoothing: towards 1/classes (categorical) or ½ (binary). */
export const smoothLabels = (y: Tensor, smoothing: number, classes: number): Tensor => (smoothing ? add(mul(y, 1 - smoothing), smoothing / classes) : y);

export const categoricalCrossentropy: Loss = {
  name: 'categorical_crossentropy',
  labels: 'oneHot',
  fusesWith: 'softmax',
  perSample: (yTrue, yPred) => categoricalFromProbabilities(yTrue, yPred),
  fromLogits: (yTrue, logits) => categoricalFromLogits(yTrue, logits),
};

export const sparseCategoricalCrossentropy: Loss = {
  name: 'sparse_categorical_crossentropy',
  labels: 'sparse',
  fusesWith: 'softmax',
  perSample: (yTrue, yPred) => categoricalFromProbabilities(sparseToOneHot(yTrue, yPred.shape[yPred.rank - 1]), yPred),
  fromLogits: (yTrue, logits) => categoricalFromLogits(sparseToOneHot(yTrue, logits.shape[logits.rank - 1]), logits),
};

export const binaryCrossentropy: Loss = {
  name: 'binary_crossentropy',
  labels: 'dense',
  fusesWith: 'sigmoid',
  perSample: (yTrue, yPred) => mean(binaryElementwise(alignTarget(yTrue, yPred), yPred), -1),
  fromLogits: (yTrue, logits) => mean(binaryElementwiseFromLogits(alignTarget(yTrue, logits), logits), -1),
};

const smoothing = z.number().min(0).max(1).default(0);

const categoricalOptions = lossOptions('categorical_crossentropy').extend({ fromLogits: z.boolean().default(false), labelSmoothing: smoothing, axis: lastAxis });
export type CategoricalCrossentropyOptions = z.input<typeof categoricalOptions>;

/**
 * Keras's `CategoricalCrossentropy` class. Without `fromLogits` it fuses with a final softmax (as the
 * string identifier does); with `fromLogits` the predictions are logits. `labelSmoothing` moves the
 * one-hot targets towards 1/classes.
 */
export class CategoricalCrossentropy extends LossFunctionWrapper {
  override readonly className = 'CategoricalCrossentropy';
  readonly labels = 'oneHot';
  readonly fromLogitsOption: boolean;
  readonly labelSmoothing: number;
  readonly fusesWith?: 'softmax';

  constructor(options: CategoricalCrossentropyOptions = {}) {
    const o = parseLossOptions(categoricalOptions, options, 'CategoricalCrossentropy');
    super(o);
    this.fromLogitsOption = o.fromLogits;
    this.labelSmoothing = o.labelSmoothing;
    if (!o.fromLogits) this.fusesWith = 'softmax';
  }

  private smoothed(yTrue: Tensor, yPred: Tensor): Tensor {
    return smoothLabels(alignTarget(yTrue, yPred), this.labelSmoothing, yPred.shape[yPred.rank - 1]);
  }

  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    const y = this.smoothed(yTrue, yPred);
    return this.fromLogitsOption ? categoricalFromLogits(y, yPred) : categoricalFromProbabilities(y, yPred);
  }

  fromLogits(yTrue: Tensor, logits: Tensor): Tensor {
    return categoricalFromLogits(this.smoothed(yTrue, logits), logits);
  }

  protected override ownConfig(): LossConfig {
    return { from_logits: this.fromLogitsOption, label_smoothing: this.labelSmoothing, axis: -1 };
  }
}

const sparseOptions = lossOptions('sparse_categorical_crossentropy').extend({
  fromLogits: z.boolean().default(false),
  ignoreClass: z.null({ error: 'not supported by Strata (must be null)' }).default(null),
});
export type SparseCategoricalCrossentropyOptions = z.input<typeof sparseOptions>;

/** Keras's `SparseCategoricalCrossentropy` class: integer class indices; `fromLogits` as in `CategoricalCrossentropy`. */
export class SparseCategoricalCrossentropy extends LossFunctionWrapper {
  override readonly className = 'SparseCategoricalCrossentropy';
  readonly labels = 'sparse';
  readonly fromLogitsOption: boolean;
  readonly fusesWith?: 'softmax';

  constructor(options: SparseCategoricalCrossentropyOptions = {}) {
    const o = parseLossOptions(sparseOptions, options, 'SparseCategoricalCrossentropy');
    super(o);
    this.fromLogitsOption = o.fromLogits;
    if (!o.fromLogits) this.fusesWith = 'softmax';
  }

  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return (this.fromLogitsOption ? sparseCategoricalCrossentropy.fromLogits! : sparseCategoricalCrossentropy.perSample)(yTrue, yPred);
  }

  fromLogits(yTrue: Tensor, logits: Tensor): Tensor {
    return sparseCategoricalCrossentropy.fromLogits!(yTrue, logits);
  }

  protected override ownConfig(): LossConfig {
    return { from_logits: this.fromLogitsOption, ignore_class: null };
  }
}

const binaryOptions = lossOptions('binary_crossentropy').extend({ fromLogits: z.boolean().default(false), labelSmoothing: smoothing, axis: lastAxis });
export type BinaryCrossentropyOptions = z.input<typeof binaryOptions>;

/** Keras's `BinaryCrossentropy` class: fuses with a final sigmoid unless `fromLogits`; `labelSmoothing` moves targets towards ½. */
export class BinaryCrossentropy extends LossFunctionWrapper {
  override readonly className = 'BinaryCrossentropy';
  readonly labels = 'dense';
  readonly fromLogitsOption: boolean;
  readonly labelSmoothing: number;
  readonly fusesWith?: 'sigmoid';

  constructor(options: BinaryCrossentropyOptions = {}) {
    const o = parseLossOptions(binaryOptions, options, 'BinaryCrossentropy');
    super(o);
    this.fromLogitsOption = o.fromLogits;
    this.labelSmoothing = o.labelSmoothing;
    if (!o.fromLogits) this.fusesWith = 'sigmoid';
  }

  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    const y = smoothLabels(alignTarget(yTrue, yPred), this.labelSmoothing, 2);
    return mean(this.fromLogitsOption ? binaryElementwiseFromLogits(y, yPred) : binaryElementwise(y, yPred), -1);
  }

  fromLogits(yTrue: Tensor, logits: Tensor): Tensor {
    return mean(binaryElementwiseFromLogits(smoothLabels(alignTarget(yTrue, logits), this.labelSmoothing, 2), logits), -1);
  }

  protected override ownConfig(): LossConfig {
    return { from_logits: this.fromLogitsOption, label_smoothing: this.labelSmoothing, axis: -1 };
  }
}
