import { cast, equal, expandDims, floor, greaterEqual, less, logicalAnd, oneHot, reshape, tensor, tidy, where, type Tensor } from '@strata/core';

/**
 * Keras's `to_categorical`: integer class indices → one-hot float32 rows. `y` of shape [n] or [n, 1]
 * gives [n, numClasses]. With a number array `numClasses` defaults to max + 1; a tensor needs it (reading
 * the maximum would be a device sync). A label that is negative, not an integer or not below numClasses
 * is an error naming it (Keras raises for the last; numpy would silently wrap or truncate the others). A
 * tensor on a backend that reads asynchronously (WebGPU) cannot be checked here: its bad labels give rows
 * of NaN, which fit and evaluate reject naming the flat index.
 */
export function toCategorical(y: Tensor | readonly number[], numClasses?: number): Tensor {
  if (numClasses !== undefined && (!Number.isInteger(numClasses) || numClasses < 1)) throw new Error(`toCategorical: numClasses must be a positive integer, got ${numClasses}`);
  const host = Array.isArray(y) ? (y as readonly number[]) : (y as Tensor).backend.readSync ? (y as Tensor).dataSync() : undefined;
  if (host) checkClassIndices(host, numClasses);
  const depth = numClasses ?? (Array.isArray(y) ? (y as number[]).reduce((a, b) => Math.max(a, b), 0) + 1 : undefined);
  if (depth === undefined) throw new Error('toCategorical: pass numClasses for a tensor of labels');
  return tidy(() => {
    const t = Array.isArray(y) ? tensor(y as number[], [y.length], 'int32') : (y as Tensor);
    const squeezed = t.rank >= 2 && t.shape[t.rank - 1] === 1 ? reshape(t, t.shape.slice(0, -1)) : t;
    const rows = oneHot(squeezed.dtype === 'int32' || squeezed.dtype === 'uint8' ? squeezed : cast(squeezed, 'int32'), depth);
    if (host) return rows;
    const inRange = logicalAnd(greaterEqual(squeezed, 0), less(squeezed, depth));
    const valid = squeezed.dtype === 'float32' ? logicalAnd(inRange, equal(floor(squeezed), squeezed)) : inRange;
    return where(expandDims(valid, -1), rows, NaN);
  });
}

/** Every label an integer in [0, depth) (or >= 0 when depth comes from the labels). */
function checkClassIndices(labels: ArrayLike<number>, depth: number | undefined): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i];
    const problem = !Number.isInteger(v) ? 'is not an integer' : v < 0 ? 'is negative' : depth !== undefined && v >= depth ? `is not below numClasses ${depth}` : undefined;
    if (problem) throw new Error(`toCategorical: label ${v} at index ${i} ${problem} (valid: integers 0 to ${depth === undefined ? 'numClasses - 1' : depth - 1})`);
  }
}
