import { cast, oneHot, reshape, tensor, tidy, type Tensor } from '@strata/core';

/**
 * Keras's `to_categorical`: integer class indices → one-hot float32 rows. `y` of shape [n] or [n, 1]
 * gives [n, numClasses]. With a number array `numClasses` defaults to max + 1; a tensor needs it (reading
 * the maximum would be a device sync).
 */
export function toCategorical(y: Tensor | readonly number[], numClasses?: number): Tensor {
  const depth = numClasses ?? (Array.isArray(y) ? Math.max(...(y as number[])) + 1 : undefined);
  if (depth === undefined) throw new Error('toCategorical: pass numClasses for a tensor of labels');
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`toCategorical: numClasses must be a positive integer, got ${depth}`);
  return tidy(() => {
    const t = Array.isArray(y) ? tensor(y as number[], [y.length], 'int32') : (y as Tensor);
    const squeezed = t.rank >= 2 && t.shape[t.rank - 1] === 1 ? reshape(t, t.shape.slice(0, -1)) : t;
    return oneHot(squeezed.dtype === 'int32' || squeezed.dtype === 'uint8' ? squeezed : cast(squeezed, 'int32'), depth);
  });
}
