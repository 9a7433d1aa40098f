import { abs, argmax, cast, div, equal, expandDims, greater, less, maximum, mean, mul, oneHot, reshape, sqrt, square, sub, sum, where, type Tensor } from '@strata/core';

/** Keras's `backend.epsilon()`. */
export const EPSILON = 1e-7;

/**
 * Keras's metric functions: per-sample values (`[batch]`, or `[batch, …]` for outputs of higher rank,
 * which the mean metrics average per sample). The metric classes wrap them.
 */

/** a / b, and 0 where b is 0 (Keras's `divide_no_nan`). */
export const divideNoNan = (a: Tensor, b: Tensor): Tensor => where(equal(b, 0), 0, div(a, where(equal(b, 0), 1, b)));

export type MetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

export const asFloat = (t: Tensor): Tensor => (t.dtype === 'float32' ? t : cast(t, 'float32'));
/** y as float32 with yPred's rank (a `[batch]` target next to a `[batch, 1]` prediction gets an axis). */
export const alignTarget = (yTrue: Tensor, yPred: Tensor): Tensor => asFloat(yTrue.rank === yPred.rank - 1 ? expandDims(yTrue, -1) : yTrue);
/** Integer class indices (`[batch]` or `[batch, 1]`, any numeric dtype) as int32 `[batch]`. */
export const classIndices = (yTrue: Tensor): Tensor => {
  const flat = reshape(yTrue, [-1]);
  return flat.dtype === 'int32' ? flat : cast(flat, 'int32');
};

export const categoricalAccuracy: MetricFn = (yTrue, yPred) => asFloat(equal(argmax(yTrue, -1), argmax(yPred, -1)));
export const sparseCategoricalAccuracy: MetricFn = (yTrue, yPred) => asFloat(equal(classIndices(yTrue), argmax(yPred, -1)));

/** 1 where prediction and label agree once the prediction is thresholded, averaged over the last axis. */
export const binaryAccuracy = (threshold = 0.5): MetricFn => (yTrue, yPred) => mean(asFloat(equal(alignTarget(yTrue, yPred), asFloat(greater(yPred, threshold)))), -1);

/** Keras's `in_top_k`: the label's prediction is beaten (strictly) by fewer than k others. */
function inTopK(labels: Tensor, yPred: Tensor, k: number): Tensor {
  const atLabel = sum(mul(yPred, oneHot(labels, yPred.shape[yPred.rank - 1])), -1, true);
  return asFloat(less(sum(asFloat(greater(yPred, atLabel)), -1), k));
}
export const topKCategoricalAccuracy = (k = 5): MetricFn => (yTrue, yPred) => inTopK(argmax(yTrue, -1), yPred, k);
export const sparseTopKCategoricalAccuracy = (k = 5): MetricFn => (yTrue, yPred) => inTopK(classIndices(yTrue), yPred, k);

export const meanSquaredError: MetricFn = (yTrue, yPred) => mean(square(sub(alignTarget(yTrue, yPred), yPred)), -1);
export const meanAbsoluteError: MetricFn = (yTrue, yPred) => mean(abs(sub(alignTarget(yTrue, yPred), yPred)), -1);
/** `100 · mean(|y − ŷ| / max(|y|, ε))` over the last axis. */
export const meanAbsolutePercentageError: MetricFn = (yTrue, yPred) => {
  const y = alignTarget(yTrue, yPred);
  return mul(mean(abs(div(sub(y, yPred), maximum(abs(y), EPSILON))), -1), 100);
};

/** `x / ‖x‖` along the last axis (the norm floored at 1e-6, as Keras's `l2_normalize` floors its square at 1e-12). */
const l2Normalize = (x: Tensor): Tensor => div(x, sqrt(maximum(sum(square(x), -1, true), 1e-12)));
/** The cosine of the angle between label and prediction along the last axis. */
export const cosineSimilarity: MetricFn = (yTrue, yPred) => sum(mul(l2Normalize(alignTarget(yTrue, yPred)), l2Normalize(yPred)), -1);
