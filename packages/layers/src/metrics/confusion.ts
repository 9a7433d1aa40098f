import { add, expandDims, greater, less, logicalNot, mul, notEqual, reshape, slice, sub, sum, tensor, where, zerosLike, type Tensor } from '@strata/core';
import { asFloat } from './functions.ts';

/** Keras's NEG_INF for predictions outside the top k. */
const NEG_INF = -1e10;

export interface ConfusionOptions {
  /** Only the top k predictions of each row may count as positive (the others become NEG_INF). */
  topK?: number;
  /** Only this class (index along the last axis) is counted. */
  classId?: number;
}

/** Per-threshold weighted counts (`[thresholds]` each): true/false positives and negatives. */
export interface ConfusionCounts {
  tp: Tensor;
  fp: Tensor;
  tn: Tensor;
  fn: Tensor;
}

/** Each value kept where fewer than k values of its row are larger, else NEG_INF (Keras's `_filter_top_k`, ties kept). */
function filterTopK(x: Tensor, k: number): Tensor {
  // [..., i, j]: x_j > x_i; summed over j, how many of the row beat x_i
  const larger = sum(asFloat(less(expandDims(x, -1), expandDims(x, -2))), -1);
  return where(less(larger, k), x, NEG_INF);
}

/**
 * Keras's `update_confusion_matrix_variables` (not multi-label): labels are positive where non-zero,
 * a prediction is positive at threshold t where it is > t; every (label, prediction) pair counts once,
 * weighted by `sampleWeight` (`[batch]`, or broadcastable to the prediction's shape).
 */
export function confusionCounts(yTrue: Tensor, yPred: Tensor, thresholds: readonly number[], sampleWeight: Tensor | undefined, options: ConfusionOptions = {}): ConfusionCounts {
  let pred = asFloat(yPred);
  let label = asFloat(yTrue);
  if (label.rank === pred.rank - 1) label = expandDims(label, -1);
  if (pred.rank === label.rank - 1) pred = expandDims(pred, -1);
  let weight = sampleWeight && asFloat(sampleWeight);
  while (weight && weight.rank < pred.rank) weight = expandDims(weight, -1);
  if (options.topK !== undefined) pred = filterTopK(pred, options.topK);
  if (options.classId !== undefined) {
    const id = options.classId;
    const column = (t: Tensor): Tensor => slice(t, [...t.shape.slice(0, -1).map(() => null), { start: id, stop: id + 1 }]);
    pred = column(pred);
    label = column(label);
    if (weight && weight.shape[weight.rank - 1] !== 1) weight = column(weight);
  }
  const flat = (t: Tensor): Tensor => reshape(add(zerosLike(pred), t), [1, -1]);
  const isPos = greater(flat(pred), tensor(thresholds, [thresholds.length, 1]));
  const positive = flat(asFloat(notEqual(label, 0)));
  const w = weight ? flat(weight) : undefined;
  const count = (predicted: Tensor, actual: Tensor): Tensor => sum(w ? mul(mul(asFloat(predicted), actual), w) : mul(asFloat(predicted), actual), 1);
  const negative = sub(1, positive);
  const isNeg = logicalNot(isPos);
  return { tp: count(isPos, positive), fp: count(isPos, negative), tn: count(isNeg, negative), fn: count(isNeg, positive) };
}
