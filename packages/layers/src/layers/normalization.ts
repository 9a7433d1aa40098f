import { add, cast, div, expandDims, mean, mul, neg, rsqrt, square, sub, sum, type Tensor } from '@strata/core';

/** Keras's `backend.epsilon()`: keeps a fully masked channel's statistics finite. */
const MASK_EPSILON = 1e-7;

export interface Moments {
  /** Both keep the reduced axes (size 1), so they broadcast against the input. */
  mean: Tensor;
  variance: Tensor;
}

/** Mean and (biased) variance over `axes`. */
export function moments(x: Tensor, axes: readonly number[]): Moments {
  const m = mean(x, axes, true);
  return { mean: m, variance: mean(square(sub(x, m)), axes, true) };
}

/**
 * Moments over the positions where `mask` (the input's shape without its last axis) is true, as Keras's
 * BatchNormalization computes them: sums of the kept values divided by their count + 1e-7.
 */
export function maskedMoments(x: Tensor, mask: Tensor, axes: readonly number[]): Moments {
  const weights = expandDims(cast(mask, 'float32'), -1);
  // the mask broadcasts over the last axis: each kept position counts once per element of it
  const perPosition = axes.includes(x.rank - 1) ? x.shape[x.rank - 1] : 1;
  const count = add(mul(sum(weights, axes, true), perPosition), MASK_EPSILON);
  const m = div(sum(mul(x, weights), axes, true), count);
  const variance = div(sum(square(mul(sub(x, m), weights)), axes, true), count);
  return { mean: m, variance };
}

/**
 * `x · inv + (beta − mean · inv)` with `inv = rsqrt(variance + epsilon) · gamma`: Keras's
 * `batch_normalization`/`layer_normalization` in the same order of operations (so float32 results agree).
 * `gamma`/`beta` (absent: 1 and 0) are already shaped to broadcast against `x`.
 */
export function normalize(x: Tensor, stats: Moments, epsilon: number, gamma?: Tensor, beta?: Tensor): Tensor {
  const root = rsqrt(add(stats.variance, epsilon));
  const inv = gamma ? mul(root, gamma) : root;
  const shift = mul(stats.mean, inv);
  return add(mul(x, inv), beta ? sub(beta, shift) : neg(shift));
}
