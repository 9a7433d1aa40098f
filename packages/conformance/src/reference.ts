/**
 * Small, independent float64 reference implementations of every op, on plain number arrays. Nothing here
 * imports core: these are what the backends are checked against.
 */
import type { ArithmeticOp, CompareOp, DType, ReduceOp, UnaryOp } from '@strata/core';

/** A dense row-major array of float64 values. */
export interface Arr {
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

export function arr(shape: readonly number[], data: readonly number[]): Arr {
  if (numel(shape) !== data.length) throw new Error(`reference: ${data.length} values for shape [${shape}]`);
  return { shape: [...shape], data: [...data] };
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((n, d) => n * d, 1);
}

/** Multi-index of flat position i. */
export function unravel(i: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = i % shape[d];
    i = Math.floor(i / shape[d]);
  }
  return idx;
}

/** Flat position of a multi-index. */
export function ravel(idx: readonly number[], shape: readonly number[]): number {
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * shape[d] + idx[d];
  return i;
}

/** Build an array of `shape` whose value at each multi-index is `f(index)`. */
export function generate(shape: readonly number[], f: (idx: number[]) => number): Arr {
  return arr(shape, Array.from({ length: numel(shape) }, (_, i) => f(unravel(i, shape))));
}

export function at(x: Arr, idx: readonly number[]): number {
  return x.data[ravel(idx, x.shape)];
}

/** Nested arrays → Arr (rectangular input assumed). */
export function fromNested(v: unknown): Arr {
  const shape: number[] = [];
  for (let c = v; Array.isArray(c); c = c[0]) shape.push(c.length);
  const flat = (shape.length ? (v as unknown[]).flat(shape.length) : [v]) as (number | boolean)[];
  return arr(shape, flat.map(Number));
}

// ---- element-wise ----

/** numpy rounding: halves go to the even neighbour. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export const UNARY: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x,
  abs: Math.abs,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  square: (x) => x * x,
  relu: (x) => Math.max(x, 0),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  tanh: Math.tanh,
  sign: Math.sign,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  reciprocal: (x) => 1 / x,
  sin: Math.sin,
  cos: Math.cos,
  logicalNot: (x) => (x === 0 ? 1 : 0),
};

const bool = (c: boolean): number => (c ? 1 : 0);

export const BINARY: Record<ArithmeticOp | CompareOp, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: Math.pow,
  maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b)),
  minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b)),
  mod: (a, b) => a - Math.floor(a / b) * b,
  equal: (a, b) => bool(a === b),
  notEqual: (a, b) => bool(a !== b),
  less: (a, b) => bool(a < b),
  lessEqual: (a, b) => bool(a <= b),
  greater: (a, b) => bool(a > b),
  greaterEqual: (a, b) => bool(a >= b),
  logicalAnd: (a, b) => bool(a !== 0 && b !== 0),
  logicalOr: (a, b) => bool(a !== 0 || b !== 0),
};

export function map(x: Arr, f: (v: number) => number): Arr {
  return arr(x.shape, x.data.map((v) => f(v)));
}

/** numpy broadcasting of several shapes, or null when they do not broadcast. */
export function broadcastShape(...shapes: (readonly number[])[]): number[] | null {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const dims = shapes.map((s) => s[s.length - rank + i] ?? 1);
    const big = dims.filter((d) => d !== 1);
    if (big.some((d) => d !== big[0])) return null;
    out.push(big[0] ?? 1);
  }
  return out;
}

/** The element of `x` that output index `idx` reads under broadcasting. */
function broadcastAt(x: Arr, idx: readonly number[]): number {
  const lead = idx.length - x.shape.length;
  return at(x, x.shape.map((d, i) => (d === 1 ? 0 : idx[lead + i])));
}

/** Element-wise over broadcast inputs. */
export function zip(xs: readonly Arr[], f: (...v: number[]) => number): Arr {
  const shape = broadcastShape(...xs.map((x) => x.shape));
  if (!shape) throw new Error(`reference: shapes ${xs.map((x) => `[${x.shape}]`).join(' ')} do not broadcast`);
  return generate(shape, (idx) => f(...xs.map((x) => broadcastAt(x, idx))));
}

export function binary(op: ArithmeticOp | CompareOp, a: Arr, b: Arr): Arr {
  return zip([a, b], BINARY[op]);
}

export function where(cond: Arr, a: Arr, b: Arr): Arr {
  return zip([cond, a, b], (c, x, y) => (c !== 0 ? x : y));
}

/** What storing float64 values in a dtype gives (float32 rounding, int truncation, uint8 wrap, bool 0/1). */
export function cast(x: Arr, dtype: DType): Arr {
  const conv: Record<DType, (v: number) => number> = {
    float32: Math.fround,
    int32: (v) => Math.trunc(v) | 0,
    uint8: (v) => Math.trunc(v) & 255,
    bool: (v) => bool(v !== 0),
  };
  return map(x, conv[dtype]);
}

// ---- reductions ----

export type Reducer = (values: readonly number[]) => number;

export const REDUCERS: Record<ReduceOp | 'mean' | 'logSumExp', Reducer> = {
  sum: (v) => v.reduce((s, x) => s + x, 0),
  prod: (v) => v.reduce((s, x) => s * x, 1),
  max: (v) => v.reduce((s, x) => Math.max(s, x), -Infinity),
  min: (v) => v.reduce((s, x) => Math.min(s, x), Infinity),
  argmax: (v) => v.reduce((best, x, i) => (x > v[best] ? i : best), 0),
  argmin: (v) => v.reduce((best, x, i) => (x < v[best] ? i : best), 0),
  mean: (v) => v.reduce((s, x) => s + x, 0) / v.length,
  logSumExp: (v) => {
    const m = Math.max(...v);
    return m + Math.log(v.reduce((s, x) => s + Math.exp(x - m), 0));
  },
};

/** Normalise axes (negative allowed; undefined = all). */
export function axesOf(axis: number | readonly number[] | undefined, rank: number): number[] {
  const list = axis === undefined ? Array.from({ length: rank }, (_, i) => i) : typeof axis === 'number' ? [axis] : [...axis];
  return list.map((a) => (a < 0 ? a + rank : a)).sort((p, q) => p - q);
}

export function reduce(x: Arr, axis: number | readonly number[] | undefined, keepDims: boolean, f: Reducer): Arr {
  const axes = axesOf(axis, x.shape.length);
  const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const groups = new Map<number, number[]>();
  x.data.forEach((v, i) => {
    const idx = unravel(i, x.shape).map((d, a) => (axes.includes(a) ? 0 : d));
    const key = ravel(idx, keptShape);
    const g = groups.get(key);
    if (g) g.push(v);
    else groups.set(key, [v]);
  });
  const out = arr(keptShape, Array.from({ length: numel(keptShape) }, (_, k) => f(groups.get(k) ?? [])));
  return keepDims ? out : arr(x.shape.filter((_, i) => !axes.includes(i)), out.data);
}

// ---- linear algebra ----

/** Batched matmul of rank ≥ 2 arrays; batch axes equal, or one side's batch of size 1 broadcasts. */
export function matmul(a: Arr, b: Arr, transA = false, transB = false): Arr {
  const ra = a.shape.length;
  const rb = b.shape.length;
  const m = transA ? a.shape[ra - 1] : a.shape[ra - 2];
  const k = transA ? a.shape[ra - 2] : a.shape[ra - 1];
  const n = transB ? b.shape[rb - 2] : b.shape[rb - 1];
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const batchShape = numel(batchA) >= numel(batchB) ? batchA : batchB;
  const A = (bi: number, i: number, p: number): number => {
    const base = (numel(batchA) === 1 ? 0 : bi) * a.shape[ra - 2] * a.shape[ra - 1];
    return a.data[base + (transA ? p * m + i : i * k + p)];
  };
  const B = (bi: number, p: number, j: number): number => {
    const base = (numel(batchB) === 1 ? 0 : bi) * b.shape[rb - 2] * b.shape[rb - 1];
    return b.data[base + (transB ? j * k + p : p * n + j)];
  };
  return generate([...batchShape, m, n], (idx) => {
    const bi = ravel(idx.slice(0, -2), batchShape);
    const [i, j] = idx.slice(-2);
    let s = 0;
    for (let p = 0; p < k; p++) s += A(bi, i, p) * B(bi, p, j);
    return s;
  });
}

/** numpy dot: scalars multiply; else sum over a's last axis and b's second-to-last (its only, for vectors). */
export function dot(a: Arr, b: Arr): Arr {
  if (a.shape.length === 0 || b.shape.length === 0) return binary('mul', a, b);
  const rb = b.shape.length;
  const kAxis = rb === 1 ? 0 : rb - 2;
  const k = a.shape[a.shape.length - 1];
  const bRest = b.shape.filter((_, i) => i !== kAxis);
  return generate([...a.shape.slice(0, -1), ...bRest], (idx) => {
    const ai = idx.slice(0, a.shape.length - 1);
    const bi = idx.slice(a.shape.length - 1);
    let s = 0;
    for (let p = 0; p < k; p++) s += at(a, [...ai, p]) * at(b, [...bi.slice(0, kAxis), p, ...bi.slice(kAxis)]);
    return s;
  });
}

/** relu?(x · w + bias) for 2-D x and w. */
export function dense(x: Arr, w: Arr, bias?: Arr, activation?: 'relu'): Arr {
  const z = bias ? binary('add', matmul(x, w), bias) : matmul(x, w);
  return activation === 'relu' ? map(z, UNARY.relu) : z;
}

// ---- movement ----

export function reshape(x: Arr, shape: readonly number[]): Arr {
  return arr(shape, x.data);
}

/** out.shape[j] = x.shape[perm[j]] (default: reversed axes). */
export function permute(x: Arr, perm?: readonly number[]): Arr {
  const p = perm ?? x.shape.map((_, i) => x.shape.length - 1 - i);
  const inverse = p.map((_, i) => p.indexOf(i));
  return generate(p.map((a) => x.shape[a]), (idx) => at(x, inverse.map((j) => idx[j])));
}

/** The box starting at `begin` with extent `size`. */
export function sliceBox(x: Arr, begin: readonly number[], size: readonly number[]): Arr {
  return generate(size, (idx) => at(x, idx.map((v, i) => v + begin[i])));
}

/** One axis of a numpy basic index: an integer (drops the axis), a start:stop range (step 1), or ':' (null). */
export type Index = number | { readonly start?: number; readonly stop?: number } | null;

/** numpy basic indexing with step 1: ranges clip to the axis like Python's slice.indices; integers count from the end when negative. */
export function index(x: Arr, specs: readonly Index[]): Arr {
  const begin: number[] = [];
  const size: number[] = [];
  const kept: number[] = [];
  x.shape.forEach((n, axis) => {
    const s = specs[axis] ?? null;
    if (typeof s === 'number') {
      begin.push(s < 0 ? n + s : s);
      size.push(1);
      return;
    }
    const bound = (v: number | undefined, dflt: number): number => (v === undefined ? dflt : v < 0 ? Math.max(0, n + v) : Math.min(n, v));
    const start = bound(s?.start, 0);
    const stop = bound(s?.stop, n);
    begin.push(start);
    size.push(Math.max(0, stop - start));
    kept.push(Math.max(0, stop - start));
  });
  return reshape(sliceBox(x, begin, size), kept);
}

export function concat(xs: readonly Arr[], axis: number): Arr {
  const a = axis < 0 ? axis + xs[0].shape.length : axis;
  const offsets = xs.map((_, i) => xs.slice(0, i).reduce((s, t) => s + t.shape[a], 0));
  const shape = xs[0].shape.map((d, i) => (i === a ? xs.reduce((s, t) => s + t.shape[a], 0) : d));
  return generate(shape, (idx) => {
    let which = 0;
    offsets.forEach((o, i) => { if (idx[a] >= o && xs[i].shape[a] > 0) which = i; });
    return at(xs[which], idx.map((v, i) => (i === a ? v - offsets[which] : v)));
  });
}

export function stack(xs: readonly Arr[], axis: number): Arr {
  const a = axis < 0 ? axis + xs[0].shape.length + 1 : axis;
  return concat(xs.map((x) => reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)])), a);
}

export function gather(x: Arr, indices: readonly number[]): Arr {
  return generate([indices.length, ...x.shape.slice(1)], (idx) => at(x, [indices[idx[0]], ...idx.slice(1)]));
}

// ---- nn ----

export function softmax(x: Arr, axis = -1): Arr {
  const lse = reduce(x, axis, true, REDUCERS.logSumExp);
  return zip([x, lse], (v, l) => Math.exp(v - l));
}

export function logSoftmax(x: Arr, axis = -1): Arr {
  return zip([x, reduce(x, axis, true, REDUCERS.logSumExp)], (v, l) => v - l);
}

export function oneHot(indices: Arr, depth: number): Arr {
  return generate([...indices.shape, depth], (idx) => bool(at(indices, idx.slice(0, -1)) === idx[idx.length - 1]));
}

// ---- random (the counter-based generator, re-derived from its specification) ----

function pcg(v: number): number {
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

const bits24 = (seed: number, i: number): number => pcg((pcg(seed >>> 0) + i) >>> 0) >>> 8;

export function randomUniform(shape: readonly number[], lo: number, hi: number, seed: number): Arr {
  return arr(shape, Array.from({ length: numel(shape) }, (_, i) => lo + (hi - lo) * bits24(seed, i) / 2 ** 24));
}

export function randomNormal(shape: readonly number[], mean: number, std: number, seed: number): Arr {
  return arr(shape, Array.from({ length: numel(shape) }, (_, i) => {
    const u1 = (bits24(seed, 2 * i) + 1) / 2 ** 24;
    const u2 = bits24(seed, 2 * i + 1) / 2 ** 24;
    return mean + std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }));
}
