import { abs, cast, clipByValue, div, exp, expandDims, log, logSoftmax, mean, mul, neg, oneHot, relu, reshape, square, sub, sum, add, type Tensor } from '@strata/core';
import { lookup } from './identifiers.ts';

/** Keras's fuzz factor for probabilities: clipped into [EPSILON, 1 - EPSILON] before the log. */
export const EPSILON = 1e-7;

/**
 * A loss gives one value per sample ([batch]); the model averages them over the batch (Keras's
 * "sum_over_batch_size"). When the model's last activation is `fusesWith`, the model hands the loss the
 * pre-activation instead and `fromLogits` is used: log-softmax / log-sum-exp, finite for any logits.
 */
export interface Loss {
  readonly name: string;
  /** What `y` must look like; checked before training starts. */
  readonly labels: 'oneHot' | 'sparse' | 'dense';
  perSample(yTrue: Tensor, yPred: Tensor): Tensor;
  readonly fusesWith?: 'softmax' | 'sigmoid';
  fromLogits?(yTrue: Tensor, logits: Tensor): Tensor;
}

/** y as float32 with yPred's rank (a [batch] target next to a [batch, 1] prediction gets an axis). */
function alignTarget(yTrue: Tensor, yPred: Tensor): Tensor {
  const y = yTrue.dtype === 'float32' ? yTrue : cast(yTrue, 'float32');
  return y.rank === yPred.rank - 1 ? expandDims(y, -1) : y;
}

/** Integer class indices ([batch] or [batch, 1], any numeric dtype) as one-hot rows. */
function sparseToOneHot(yTrue: Tensor, depth: number): Tensor {
  const flat = reshape(yTrue, [-1]);
  return oneHot(flat.dtype === 'int32' ? flat : cast(flat, 'int32'), depth);
}

const clipProbabilities = (p: Tensor): Tensor => clipByValue(p, EPSILON, 1 - EPSILON);

function categoricalFromProbabilities(oneHotTrue: Tensor, yPred: Tensor): Tensor {
  const p = clipProbabilities(div(yPred, sum(yPred, -1, true)));
  return neg(sum(mul(oneHotTrue, log(p)), -1));
}

function categoricalFromLogits(oneHotTrue: Tensor, logits: Tensor): Tensor {
  return neg(sum(mul(oneHotTrue, logSoftmax(logits, -1)), -1));
}

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
  perSample: (yTrue, yPred) => {
    const y = alignTarget(yTrue, yPred);
    const p = clipProbabilities(yPred);
    return neg(mean(add(mul(y, log(p)), mul(sub(1, y), log(sub(1, p)))), -1));
  },
  // max(x, 0) - x·y + log(1 + exp(-|x|)): no overflow for any x
  fromLogits: (yTrue, logits) => {
    const y = alignTarget(yTrue, logits);
    return mean(add(sub(relu(logits), mul(logits, y)), log(add(1, exp(neg(abs(logits)))))), -1);
  },
};

export const meanSquaredError: Loss = {
  name: 'mean_squared_error',
  labels: 'dense',
  perSample: (yTrue, yPred) => mean(square(sub(alignTarget(yTrue, yPred), yPred)), -1),
};

export const meanAbsoluteError: Loss = {
  name: 'mean_absolute_error',
  labels: 'dense',
  perSample: (yTrue, yPred) => mean(abs(sub(alignTarget(yTrue, yPred), yPred)), -1),
};

const BY_NAME: Record<string, Loss> = {
  categorical_crossentropy: categoricalCrossentropy,
  sparse_categorical_crossentropy: sparseCategoricalCrossentropy,
  binary_crossentropy: binaryCrossentropy,
  mean_squared_error: meanSquaredError,
  mse: meanSquaredError,
  mean_absolute_error: meanAbsoluteError,
  mae: meanAbsoluteError,
};

export type LossIdentifier = string | Loss;

export function getLoss(identifier: LossIdentifier): Loss {
  return typeof identifier === 'string' ? lookup('loss', BY_NAME, identifier) : identifier;
}
