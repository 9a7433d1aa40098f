import { Tensor, cast, equal, floor, formatShape, greaterEqual, less, logicalAnd, logicalNot, slice, sum, tidy, uniform01 } from '@strata/core';
import type { TrainableModel } from '../graph/model-api.ts';
import type { Loss } from '../losses.ts';
import type { Compiled } from './compile.ts';
import { checkEmbeddingIndices } from './index-check.ts';

/**
 * Input checks shared by fit / evaluate / trainOnBatch. They run before anything touches the model's
 * weights or the optimizer, so a rejected call leaves the model exactly as it was.
 */

/** Model inputs or targets as Keras takes them: one tensor, a list in input/output order, or a record by name. */
export type ModelData = Tensor | Tensor[] | Record<string, Tensor>;

/** Inputs and targets as lists in the model's input and output order. */
export interface Dataset {
  readonly x: readonly Tensor[];
  readonly y: readonly Tensor[];
  /** Sample weights per output (fit's/evaluate's `sampleWeight`/`classWeight`), when given. */
  readonly w?: readonly (Tensor | undefined)[];
}

export function assertTensor(value: unknown, what: string, where: string): asserts value is Tensor {
  if (!(value instanceof Tensor)) throw new Error(`${where}: ${what} must be a Tensor, got ${value === null ? 'null' : typeof value}`);
  value.assertAlive(`use as ${what} in ${where}`);
}

/** `value` as a list in the order of `names` (the model's inputs or outputs). */
export function toTensorList(value: unknown, names: readonly string[], what: 'x' | 'y', where: string): Tensor[] {
  const kind = what === 'x' ? 'input' : 'output';
  const choices = `a list of ${names.length} tensors or a record {${names.join(', ')}}`;
  const oneTensor = value instanceof Tensor || value === null || typeof value !== 'object' || (names.length === 1 && Array.isArray(value) && !(value[0] instanceof Tensor));
  if (oneTensor) {
    if (names.length > 1) throw new Error(`${where}: the model has ${names.length} ${kind}s (${names.join(', ')}); give ${what} as ${choices}, got ${value instanceof Tensor ? 'one tensor' : value === null ? 'null' : typeof value}`);
    assertTensor(value, what, where);
    return [value];
  }
  if (Array.isArray(value)) {
    if (value.length !== names.length) throw new Error(`${where}: ${what} has ${value.length} tensors but the model has ${names.length} ${kind}${names.length === 1 ? '' : 's'} (${names.join(', ')})`);
    value.forEach((t, i) => assertTensor(t, `${what}[${i}] (${kind} "${names[i]}")`, where));
    return value as Tensor[];
  }
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).find((k) => !names.includes(k));
  if (unknown) throw new Error(`${where}: ${what} has a key "${unknown}", which is not an ${kind} of the model; its ${kind}s are ${names.join(', ')}`);
  return names.map((name) => {
    if (!(name in record)) throw new Error(`${where}: ${what} has no entry for ${kind} "${name}" (${kind}s: ${names.join(', ')})`);
    const t = record[name];
    assertTensor(t, `${what}.${name}`, where);
    return t;
  });
}

/** x and y fit the model's inputs and outputs and have the same number of samples throughout. */
export function checkInputs(model: TrainableModel, x: unknown, y: unknown, where: string): Dataset {
  const xs = toTensorList(x, model.inputNames, 'x', where);
  const ys = toTensorList(y, model.outputNames, 'y', where);
  const all = [...xs, ...ys];
  const label = (i: number): string => (i < xs.length ? (xs.length > 1 ? `x.${model.inputNames[i]}` : 'x') : ys.length > 1 ? `y.${model.outputNames[i - xs.length]}` : 'y');
  const scalar = all.findIndex((t) => t.rank === 0);
  if (scalar >= 0) throw new Error(`${where}: x and y need a batch axis, got shapes ${all.map((t) => formatShape(t.shape)).join(' and ')}`);
  if (xs[0].shape[0] === 0) throw new Error(`${where}: x has no samples (shape ${formatShape(xs[0].shape)})`);
  const n = xs[0].shape[0];
  const other = all.findIndex((t) => t.shape[0] !== n);
  if (other >= 0) {
    const names = [label(0), label(other)];
    const [a, b] = [all[0], all[other]];
    throw new Error(`${where}: ${names[0]} and ${names[1]} have different numbers of samples: ${names[0]} has ${a.shape[0]} (shape ${formatShape(a.shape)}), ${names[1]} has ${b.shape[0]} (shape ${formatShape(b.shape)})`);
  }
  model.assertInputShapes(xs.map((t) => t.shape));
  return { x: xs, y: ys };
}

const shapeText = (shape: readonly (number | null)[]): string => `(${shape.map((d) => d ?? 'None').join(', ')}${shape.length === 1 ? ',' : ''})`;

/** Each y fits its output's loss and shape; sparse labels (and inputs feeding an Embedding) are read once to check their range. */
export async function checkLabels(model: TrainableModel, compiled: Compiled, data: Dataset, where: string): Promise<void> {
  await checkEmbeddingIndices(model, data.x, where);
  const outs = model.outputShapesFor(data.x.map((t) => t.shape));
  for (const [i, target] of compiled.outputs.entries()) {
    const at = compiled.outputs.length > 1 ? `${where} (output "${target.name}")` : where;
    await checkOutputLabels(target.loss, outs[i], data.y[i], at);
  }
}

async function checkOutputLabels(loss: Loss, out: readonly (number | null)[], y: Tensor, where: string): Promise<void> {
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

/** Sparse labels must be integers in [0, classes): counted on the device (one scalar read); y is read only when one is not. */
async function checkClassIndices(y: Tensor, classes: number, lossName: string, where: string): Promise<void> {
  const count = tidy(() => {
    const inRange = logicalAnd(greaterEqual(y, 0), less(y, classes));
    const valid = y.dtype === 'float32' ? logicalAnd(inRange, equal(floor(y), y)) : inRange;
    return sum(cast(logicalNot(valid), 'int32'));
  });
  const [invalid] = await count.data();
  count.dispose();
  if (invalid === 0) return;
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
  const n = data.x[0].shape[0];
  const at = Math.floor(n * (1 - fraction));
  if (at === 0 || at === n) {
    throw new Error(`fit: validationSplit ${fraction} of ${n} samples leaves ${at === 0 ? 'no training' : 'no validation'} samples`);
  }
  const part = (start: number, stop: number): Dataset => ({ x: rows(data.x, start, stop), y: rows(data.y, start, stop), ...(data.w ? { w: data.w.map((t) => t && slice(t, [{ start, stop }])) } : {}) });
  return { train: part(0, at), val: part(at, n) };
}

/** Rows [start, stop) of each tensor. */
export function rows(tensors: readonly Tensor[], start: number, stop: number): Tensor[] {
  return tensors.map((t) => slice(t, [{ start, stop }]));
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
