import { Tensor, argmax, cast, expandDims, formatShape, gather, less, mean, minimum, mul, reshape, round, squeeze, sum, tensor, tidy, where } from '@strata/core';

/** Per-output sample weights of a batch, in output order (undefined: that output is not weighted). */
export type SampleWeights = readonly (Tensor | undefined)[];

/** Keras's `class_weight`: a weight per class index; classes left out weigh 1. */
export type ClassWeight = Readonly<Record<number, number>>;

/**
 * Keras's `sum_over_batch_size` reduction of per-sample losses: their mean, or with weights
 * sum(loss · w) / (number of loss values), so a weight of 0 still counts in the denominator.
 * A `[batch, 1]` weight next to `[batch]` losses (or the reverse) is aligned first, as Keras does.
 */
export function reduceWeightedLoss(values: Tensor, sampleWeight: Tensor | undefined): Tensor {
  if (!sampleWeight) return mean(values);
  let w = sampleWeight.dtype === 'float32' ? sampleWeight : cast(sampleWeight, 'float32');
  if (w.rank === values.rank + 1 && w.shape[w.rank - 1] === 1) w = squeeze(w, [-1]);
  while (w.rank < values.rank) w = expandDims(w, -1);
  return mul(sum(mul(values, w)), 1 / values.size);
}

/** Weights from `classWeight` for labels `y`: class indices, or one-hot / probability rows (argmax). Inside a `tidy`. */
export function classWeightsFor(y: Tensor, classWeight: ClassWeight): Tensor {
  const entries = Object.entries(classWeight).map(([k, v]) => [Number(k), v] as const);
  const size = Math.max(...entries.map(([k]) => k)) + 1;
  const table = Array.from({ length: size }, () => 1);
  for (const [k, v] of entries) table[k] = v;
  const oneHot = y.rank > 1 && y.shape[y.rank - 1] !== 1;
  const labels = oneHot ? argmax(y, -1) : cast(round(reshape(y.dtype === 'float32' ? y : cast(y, 'float32'), [-1])), 'int32');
  const known = less(labels, size);
  return where(known, gather(tensor(table), minimum(labels, size - 1)), 1);
}

/** `classWeight` checked: an object of non-negative integer class indices to finite non-negative weights. */
export function checkClassWeight(value: unknown, outputs: number, where: string): ClassWeight {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${where}: classWeight must be an object mapping class indices to weights, such as {0: 1, 1: 5}, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
  if (outputs > 1) throw new Error(`${where}: classWeight is only supported for models with one output (this one has ${outputs}); give sampleWeight per output instead`);
  const entries = Object.entries(value);
  if (!entries.length) throw new Error(`${where}: classWeight is empty; give at least one {classIndex: weight}`);
  for (const [k, v] of entries) {
    if (!/^\d+$/.test(k)) throw new Error(`${where}: classWeight key "${k}" is not a class index (valid: non-negative integers)`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${where}: classWeight for class ${k} must be a finite number ≥ 0, got ${JSON.stringify(v)}`);
  }
  return value as ClassWeight;
}

/**
 * `sampleWeight` as one weight tensor (or undefined) per output: one tensor for a one-output model, a
 * list in output order or a record by output name; each has one row per sample (`[n]`, `[n, 1]`, or the
 * loss's per-sample shape such as `[n, timesteps]`).
 */
export function checkSampleWeight(value: unknown, outputNames: readonly string[], n: number, where: string): (Tensor | undefined)[] {
  const several = outputNames.length > 1;
  let list: unknown[];
  if (!several) list = [value];
  else if (Array.isArray(value)) list = value;
  else if (typeof value === 'object' && value !== null && !(value instanceof Tensor)) {
    const record = value as Record<string, unknown>;
    const unknown = Object.keys(record).find((k) => !outputNames.includes(k));
    if (unknown) throw new Error(`${where}: sampleWeight has a key "${unknown}", which is not an output of the model; its outputs are ${outputNames.join(', ')}`);
    list = outputNames.map((name) => record[name]);
  } else throw new Error(`${where}: the model has ${outputNames.length} outputs (${outputNames.join(', ')}); give sampleWeight as a list or a record by output name`);
  if (list.length !== outputNames.length) throw new Error(`${where}: sampleWeight has ${list.length} entries but the model has ${outputNames.length} outputs (${outputNames.join(', ')})`);
  return list.map((w, i) => {
    if (w === undefined || w === null) return undefined;
    const what = several ? `sampleWeight for output "${outputNames[i]}"` : 'sampleWeight';
    if (!(w instanceof Tensor)) throw new Error(`${where}: ${what} must be a Tensor, got ${typeof w}`);
    w.assertAlive(`use as sampleWeight in ${where}`);
    if (w.rank === 0 || w.shape[0] !== n) throw new Error(`${where}: ${what} has shape ${formatShape(w.shape)} but x has ${n} samples; give one weight per sample (shape (${n},))`);
    return w;
  });
}

/** fit's/evaluate's weights per output from `sampleWeight` or (one output) `classWeight`; undefined when neither is given. */
export function resolveSampleWeights(sampleWeight: unknown, classWeight: unknown, ys: readonly Tensor[], outputNames: readonly string[], where: string): (Tensor | undefined)[] | undefined {
  if (sampleWeight !== undefined && classWeight !== undefined) throw new Error(`${where}: give sampleWeight or classWeight, not both (Keras refuses them together too)`);
  if (sampleWeight !== undefined) return checkSampleWeight(sampleWeight, outputNames, ys[0].shape[0], where);
  if (classWeight === undefined) return undefined;
  const table = checkClassWeight(classWeight, outputNames.length, where);
  return [tidy(() => classWeightsFor(ys[0], table))];
}
