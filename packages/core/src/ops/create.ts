import { assertDType, dtypeOfArray, toArray, type DType, type TypedArray } from '../dtype.ts';
import { getBackend } from '../registry.ts';
import { randomSeed } from '../random.ts';
import { assertValidShape, formatShape, sizeOf, type Shape } from '../shape.ts';
import type { NestedArray, Tensor } from '../tensor.ts';
import { run, wrap } from './run.ts';

export type TensorLike = NestedArray | TypedArray | readonly number[];

/** Flatten nested arrays, checking they are rectangular and hold numbers or booleans. */
function flatten(value: unknown, where: string): { values: number[]; shape: number[]; sawBool: boolean } {
  const shape: number[] = [];
  for (let v: unknown = value; Array.isArray(v); v = v[0]) shape.push(v.length);
  const values: number[] = [];
  let sawBool = false;
  const walk = (v: unknown, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (typeof v === 'boolean') { sawBool = true; values.push(v ? 1 : 0); return; }
      if (Array.isArray(v)) throw new Error(`${where}: element at ${path} is an array where its siblings hold numbers (mixed nesting depth; inferred shape ${formatShape(shape)})`);
      if (ArrayBuffer.isView(v)) throw new Error(`${where}: element at ${path || '[]'} is a ${v.constructor.name} inside a nested array; nested arrays hold numbers or booleans (give one flat typed array and a shape instead)`);
      if (typeof v === 'bigint') throw new Error(`${where}: element at ${path || '[]'} is ${v}n (bigint); expected a number or boolean (BigInt is not supported: convert with Number(x))`);
      if (typeof v !== 'number') throw new Error(`${where}: element at ${path || '[]'} is ${JSON.stringify(v)} (${typeof v}); expected a number or boolean`);
      values.push(v);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[dim]) {
      throw new Error(`${where}: ragged nested array: element at ${path || '[]'} has ${Array.isArray(v) ? `length ${v.length}` : 'no array'} but its siblings have length ${shape[dim]} (inferred shape ${formatShape(shape)})`);
    }
    v.forEach((x, i) => walk(x, dim + 1, `${path}[${i}]`));
  };
  walk(value, 0, '');
  return { values, shape, sawBool };
}

/**
 * Create a tensor from nested arrays, a flat array or a typed array. With a flat input `shape` says how
 * to read it; `dtype` defaults to the typed array's own type, or float32 (bool for nested booleans).
 */
export function tensor(values: TensorLike, shape?: Shape, dtype?: DType): Tensor {
  if (dtype !== undefined) assertDType(dtype, 'tensor');
  if (shape !== undefined) assertValidShape(shape, 'tensor');
  let flat: ArrayLike<number>;
  let inferred: number[];
  let natural: DType = 'float32';
  if (ArrayBuffer.isView(values)) {
    flat = values as TypedArray;
    inferred = [flat.length];
    natural = dtypeOfArray(values);
  } else if (typeof values === 'number' || typeof values === 'boolean' || Array.isArray(values)) {
    const f = flatten(values, 'tensor');
    flat = f.values;
    inferred = f.shape;
    if (f.sawBool) natural = 'bool';
  } else {
    throw new Error(`tensor: expected a number, boolean, nested array or typed array, got ${values === null ? 'null' : typeof values}`);
  }
  const finalShape = shape ?? inferred;
  if (sizeOf(finalShape) !== flat.length) {
    throw new Error(`tensor: ${flat.length} values cannot fill shape ${formatShape(finalShape)} (${sizeOf(finalShape)} elements)`);
  }
  const finalDtype = dtype ?? natural;
  if (finalDtype !== natural) assertFits(flat, finalDtype);
  const array = ArrayBuffer.isView(flat) && dtypeOfArray(flat as TypedArray) === finalDtype && finalDtype !== 'bool'
    ? (flat as TypedArray).slice()
    : toArray(flat, finalDtype);
  const b = getBackend();
  return wrap(b, b.upload(array, finalShape, finalDtype), finalShape, finalDtype);
}

/** The integer dtypes' ranges: `tensor()` refuses values outside them. */
const INTEGER_RANGES: Partial<Record<DType, readonly [number, number]>> = { int32: [-2147483648, 2147483647], uint8: [0, 255] };

/**
 * Values converted to an integer dtype must fit it (numpy 2 raises `OverflowError` for Python integers
 * out of bounds); a fraction is truncated toward zero, as numpy does for floats. `cast` is the way to wrap
 * or saturate on purpose.
 */
function assertFits(values: ArrayLike<number>, dtype: DType): void {
  const range = INTEGER_RANGES[dtype];
  if (!range) return;
  const [lo, hi] = range;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(Math.trunc(v) >= lo && Math.trunc(v) <= hi)) {
      throw new Error(`tensor: value ${v} at flat index ${i} does not fit ${dtype} (integers ${lo} to ${hi}); to wrap or saturate on purpose, cast a float32 tensor: cast(tensor(values), '${dtype}')`);
    }
  }
}

export function scalar(value: number | boolean, dtype?: DType): Tensor {
  return tensor(value, [], dtype);
}

export function fill(shape: Shape, value: number, dtype: DType = 'float32'): Tensor {
  assertValidShape(shape, 'fill');
  assertDType(dtype, 'fill');
  if (typeof value !== 'number') throw new Error(`fill: value must be a number, got ${typeof value}`);
  return run('fill', null, [], (b) => b.fill(shape, value, dtype), shape, dtype);
}

export function zeros(shape: Shape, dtype: DType = 'float32'): Tensor {
  return fill(shape, 0, dtype);
}

export function ones(shape: Shape, dtype: DType = 'float32'): Tensor {
  return fill(shape, 1, dtype);
}

export function zerosLike(x: Tensor): Tensor {
  return fill(x.shape, 0, x.dtype);
}

export function onesLike(x: Tensor): Tensor {
  return fill(x.shape, 1, x.dtype);
}

/** numpy `arange(start, stop, step)`; `range(n)` is 0..n-1. */
export function range(start: number, stop?: number, step = 1, dtype: DType = 'float32'): Tensor {
  if (stop === undefined) [start, stop] = [0, start];
  if (step === 0 || !Number.isFinite(step)) throw new Error(`range: step must be a finite non-zero number, got ${step}`);
  const n = Math.max(0, Math.ceil((stop - start) / step));
  const values = Array.from({ length: n }, (_, i) => start + i * step);
  return tensor(toArray(values, dtype), [n], dtype);
}

export interface RandomOptions {
  seed?: number;
  dtype?: 'float32';
}

function checkSeed(op: string, seed: number | undefined): number {
  if (seed === undefined) return randomSeed();
  if (!Number.isInteger(seed)) throw new Error(`${op}: seed must be an integer, got ${seed}`);
  return seed >>> 0;
}

/** Uniform samples in [minval, maxval); with a seed, identical on every backend. */
export function randomUniform(shape: Shape, minval = 0, maxval = 1, options: RandomOptions = {}): Tensor {
  assertValidShape(shape, 'randomUniform');
  const seed = checkSeed('randomUniform', options.seed);
  return run('randomUniform', null, [], (b) => b.random(shape, { kind: 'uniform', seed, a: minval, b: maxval }), shape, 'float32');
}

/** Normal samples with the given mean and standard deviation; with a seed, identical on every backend. */
export function randomNormal(shape: Shape, mean = 0, stddev = 1, options: RandomOptions = {}): Tensor {
  assertValidShape(shape, 'randomNormal');
  const seed = checkSeed('randomNormal', options.seed);
  return run('randomNormal', null, [], (b) => b.random(shape, { kind: 'normal', seed, a: mean, b: stddev }), shape, 'float32');
}
