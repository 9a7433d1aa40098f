import { abs, add, cast, clipByValue, div, equal, exp, lessEqual, log, logicalOr, max, maximum, mean, min, minimum, mul, neg, pow, relu, rsqrt, sigmoid, softmax, square, sub, sum, where, type Tensor } from '@strata/core';
import { binaryElementwise, smoothLabels } from './crossentropy.ts';
import { EPSILON, alignTarget, clipProbabilities } from './loss.ts';

/**
 * Keras 3's per-sample loss functions (`keras.losses.huber`, …): each reduces the last axis and takes the
 * target to the prediction's rank first. Float64 references of each are in the tests.
 */

export const meanSquaredError = (yTrue: Tensor, yPred: Tensor): Tensor => mean(square(sub(alignTarget(yTrue, yPred), yPred)), -1);

export const meanAbsoluteError = (yTrue: Tensor, yPred: Tensor): Tensor => mean(abs(sub(alignTarget(yTrue, yPred), yPred)), -1);

/** `mean((log(max(p, ε) + 1) - log(max(y, ε) + 1))²)`. */
export const meanSquaredLogarithmicError = (yTrue: Tensor, yPred: Tensor): Tensor => {
  const logOf = (t: Tensor): Tensor => log(add(maximum(t, EPSILON), 1));
  return mean(square(sub(logOf(yPred), logOf(alignTarget(yTrue, yPred)))), -1);
};

/** `½e²` where `|e| <= delta`, else `delta·|e| - ½delta²` (e = prediction - target), averaged. */
export const huber = (yTrue: Tensor, yPred: Tensor, delta = 1): Tensor => {
  const error = sub(yPred, alignTarget(yTrue, yPred));
  const size = abs(error);
  return mean(where(lessEqual(size, delta), mul(square(error), 0.5), sub(mul(size, delta), 0.5 * delta * delta)), -1);
};

/** `log(cosh(e))` as `e + softplus(-2e) - log 2` (finite for any e), averaged. */
export const logCosh = (yTrue: Tensor, yPred: Tensor): Tensor => {
  const e = sub(yPred, alignTarget(yTrue, yPred));
  return mean(sub(add(e, softplus(mul(e, -2))), Math.log(2)), -1);
};

/** `softplus(x) = max(x, 0) + log(1 + exp(-|x|))`, stable for any x. */
const softplus = (x: Tensor): Tensor => add(relu(x), log(add(1, exp(neg(abs(x))))));

/** `mean(p - y·log(p + ε))`. */
export const poisson = (yTrue: Tensor, yPred: Tensor): Tensor => mean(sub(yPred, mul(alignTarget(yTrue, yPred), log(add(yPred, EPSILON)))), -1);

/** `Σ y·log(y/p)` with both clipped into [ε, 1]. */
export const klDivergence = (yTrue: Tensor, yPred: Tensor): Tensor => {
  const y = clipByValue(alignTarget(yTrue, yPred), EPSILON, 1);
  const p = clipByValue(yPred, EPSILON, 1);
  return sum(mul(y, log(div(y, p))), -1);
};

/** Keras's L2 normalisation: `x · min(1/‖x‖, 1/ε)` along the last axis. */
const l2Normalize = (x: Tensor): Tensor => mul(x, minimum(rsqrt(sum(square(x), -1, true)), 1 / EPSILON));

/** `-Σ ŷ·p̂` of the L2-normalised target and prediction (-1 when they point the same way). */
export const cosineSimilarity = (yTrue: Tensor, yPred: Tensor): Tensor => neg(sum(mul(l2Normalize(alignTarget(yTrue, yPred)), l2Normalize(yPred)), -1));

/** Keras's `convert_binary_labels_to_hinge`: when every label is 0 or 1, they become -1 or 1 (decided over the whole batch, on the device). */
function hingeLabels(yTrue: Tensor, yPred: Tensor): Tensor {
  const y = alignTarget(yTrue, yPred);
  const binary = min(cast(logicalOr(equal(y, 0), equal(y, 1)), 'float32')); // 1 when all are 0/1
  return add(y, mul(sub(y, 1), binary)); // 2y - 1 when binary, else y
}

const hingeMargin = (yTrue: Tensor, yPred: Tensor): Tensor => relu(sub(1, mul(hingeLabels(yTrue, yPred), yPred)));

/** `mean(max(1 - y·p, 0))`, labels 0/1 taken as -1/1. */
export const hinge = (yTrue: Tensor, yPred: Tensor): Tensor => mean(hingeMargin(yTrue, yPred), -1);

/** `mean(max(1 - y·p, 0)²)`, labels 0/1 taken as -1/1. */
export const squaredHinge = (yTrue: Tensor, yPred: Tensor): Tensor => mean(square(hingeMargin(yTrue, yPred)), -1);

/** `max(max((1 - y)·p) - Σ y·p + 1, 0)` for one-hot targets. */
export const categoricalHinge = (yTrue: Tensor, yPred: Tensor): Tensor => {
  const y = alignTarget(yTrue, yPred);
  const positive = sum(mul(y, yPred), -1);
  const negative = max(mul(sub(1, y), yPred), -1);
  return relu(add(sub(negative, positive), 1));
};

export interface BinaryFocalArgs {
  applyClassBalancing: boolean;
  alpha: number;
  gamma: number;
  fromLogits: boolean;
  labelSmoothing: number;
}

/**
 * Keras's `binary_focal_crossentropy`: the binary cross-entropy scaled by `(1 - p_t)^gamma` (p_t the
 * probability given to the true label), and by `alpha`/`1 - alpha` for positives/negatives with class
 * balancing. From logits Keras applies the sigmoid first and then the clipped probabilities path.
 */
export function binaryFocalCrossentropy(yTrue: Tensor, yPred: Tensor, a: BinaryFocalArgs): Tensor {
  const y = smoothLabels(alignTarget(yTrue, yPred), a.labelSmoothing, 2);
  const p = a.fromLogits ? sigmoid(yPred) : yPred;
  const pTrue = add(mul(y, p), mul(sub(1, y), sub(1, p)));
  let focal = mul(pow(sub(1, pTrue), a.gamma), binaryElementwise(y, p));
  if (a.applyClassBalancing) focal = mul(add(mul(y, a.alpha), mul(sub(1, y), 1 - a.alpha)), focal);
  return mean(focal, -1);
}

export interface CategoricalFocalArgs {
  alpha: number;
  gamma: number;
  fromLogits: boolean;
  labelSmoothing: number;
}

/** Keras's `categorical_focal_crossentropy`: `Σ alpha·(1 - p)^gamma·(-y·log p)`, p normalised and clipped. */
export function categoricalFocalCrossentropy(yTrue: Tensor, yPred: Tensor, a: CategoricalFocalArgs): Tensor {
  const y = smoothLabels(alignTarget(yTrue, yPred), a.labelSmoothing, yPred.shape[yPred.rank - 1]);
  const probabilities = a.fromLogits ? softmax(yPred, -1) : yPred;
  const p = clipProbabilities(div(probabilities, sum(probabilities, -1, true)));
  return sum(mul(mul(pow(sub(1, p), a.gamma), a.alpha), neg(mul(y, log(p)))), -1);
}
