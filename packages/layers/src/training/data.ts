import { Tensor, formatShape, slice, uniform01 } from '@strata/core';
import type { Loss } from '../losses.ts';
import type { Sequential } from '../models/sequential.ts';

/**
 * Input checks shared by fit / evaluate / trainOnBatch. They run before anything touches the model's
 * weights or the optimizer, so a rejected call leaves the model exactly as it was.
 */

export interface Dataset {
  readonly x: Tensor;
  readonly y: Tensor;
}

export function assertTensor(value: unknown, what: string, where: string): asserts value is Tensor {
  if (!(value instanceof Tensor)) throw new Error(`${where}: ${what} must be a Tensor, got ${value === null ? 'null' : typeof value}`);
  value.assertAlive(`use as ${what} in ${where}`);
}

/** x and y are tensors with the same number of samples, x fits the model's input. */
export function checkInputs(model: Sequential, x: unknown, y: unknown, where: string): Dataset {
  assertTensor(x, 'x', where);
  assertTensor(y, 'y', where);
  if (x.rank === 0 || y.rank === 0) throw new Error(`${where}: x and y need a batch axis, got shapes ${formatShape(x.shape)} and ${formatShape(y.shape)}`);
  if (x.shape[0] === 0) throw new Error(`${where}: x has no samples (shape ${formatShape(x.shape)})`);
  if (x.shape[0] !== y.shape[0]) {
    throw new Error(`${where}: x and y have different numbers of samples: x has ${x.shape[0]} (shape ${formatShape(x.shape)}), y has ${y.shape[0]} (shape ${formatShape(y.shape)})`);
  }
  model.assertInputShape(x.shape);
  return { x, y };
}

const shapeText = (shape: readonly (number | null)[]): string => `(${shape.map((d) => d ?? 'None').join(', ')}${shape.length === 1 ? ',' : ''})`;

/** y fits the loss and the model's output; sparse labels are read once to check their range. */
export async function checkLabels(model: Sequential, loss: Loss, x: Tensor, y: Tensor, where: string): Promise<void> {
  const out = model.outputShapeFor(x.shape);
  const units = out[out.length - 1] ?? 0;
  const n = y.shape[0];
  const indexShaped = y.rank === out.length - 1 || (y.rank === out.length && y.shape[y.rank - 1] === 1);
  const matchesOutput = y.rank === out.length && y.shape.every((d, i) => i === 0 || d === out[i]);
  if (loss.labels === 'oneHot' && units > 1 && indexShaped) {
    throw new Error(`${where}: y has shape ${formatShape(y.shape)}, integer class indices, but ${loss.name} expects one-hot labels of shape (${n}, ${units}); use loss 'sparse_categorical_crossentropy' for class indices, or one-hot encode them with toCategorical(y, ${units})`);
  }
  if (loss.labels === 'sparse' && units > 1 && matchesOutput) {
    throw new Error(`${where}: y has shape ${formatShape(y.shape)}, which looks one-hot, but ${loss.name} expects integer class indices of shape (${n},); use loss 'categorical_crossentropy' for one-hot labels`);
  }
  const fits = loss.labels === 'sparse' ? indexShaped : matchesOutput || (units === 1 && y.rank === out.length - 1);
  if (!fits) {
    const expected = loss.labels === 'sparse' ? `(${n},)` : shapeText([n, ...out.slice(1)]);
    throw new Error(`${where}: y has shape ${formatShape(y.shape)} but ${loss.name} with the model's output ${shapeText(out)} expects ${expected}`);
  }
  if (loss.labels === 'sparse') await checkClassIndices(y, units, loss.name, where);
  else await checkFinite(y, where);
}

/** NaN or ±Infinity in the labels would poison every weight on the first step. */
async function checkFinite(y: Tensor, where: string): Promise<void> {
  const values = await y.data();
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new Error(`${where}: y contains ${values[i]} at flat index ${i} (shape ${formatShape(y.shape)}); labels must be finite numbers`);
  }
}

async function checkClassIndices(y: Tensor, classes: number, lossName: string, where: string): Promise<void> {
  const values = await y.data();
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      throw new Error(`${where}: label ${v} at index ${i} is not a valid class index for ${lossName} with ${classes} classes (valid: integers 0 to ${classes - 1})`);
    }
  }
}

/** Keras's validationSplit: the last `fraction` of the samples (before any shuffling) is held out. */
export function splitValidation(data: Dataset, fraction: number): { train: Dataset; val: Dataset } {
  const n = data.x.shape[0];
  const at = Math.floor(n * (1 - fraction));
  if (at === 0 || at === n) {
    throw new Error(`fit: validationSplit ${fraction} of ${n} samples leaves ${at === 0 ? 'no training' : 'no validation'} samples`);
  }
  const part = (t: Tensor, start: number, stop: number): Tensor => slice(t, [{ start, stop }]);
  return {
    train: { x: part(data.x, 0, at), y: part(data.y, 0, at) },
    val: { x: part(data.x, at, n), y: part(data.y, at, n) },
  };
}

/** [start, stop) of each batch; the last one may be partial. */
export function batchRanges(n: number, batchSize: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let start = 0; start < n; start += batchSize) out.push([start, Math.min(n, start + batchSize)]);
  return out;
}

/** A seeded Fisher–Yates permutation of 0..n-1 (core's counter-based generator). */
export function permutation(n: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(uniform01(seed, i) * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
