import type { BinaryKernels, BinaryOp, DType, TypedArray, Shape } from '@strata/core';
import { broadcastRuns } from './broadcast.ts';

/** One run: o[oi + t] = f(a[ai + t * as], b[bi + t * bs]) for t < n. Storing into the typed array wraps ints. */
type BinaryLoop = (a: TypedArray, ai: number, as: number, b: TypedArray, bi: number, bs: number, o: TypedArray, oi: number, n: number) => void;

/** numpy floor-mod: the result takes the sign of the divisor (x % 0 is NaN, stored as 0 in int arrays). */
function floorMod(x: number, y: number): number {
  const r = x % y;
  return r !== 0 && (r < 0) !== (y < 0) ? r + y : r;
}

/** C pow semantics where JS differs: 1 ** NaN and (-1) ** ±Infinity are 1. */
function floatPow(x: number, y: number): number {
  return x === 1 || (x === -1 && Math.abs(y) === Infinity) ? 1 : Math.pow(x, y);
}

/** Wrapping integer power by squaring; a negative exponent gives the truncated real result. */
function intPow(x: number, y: number): number {
  if (y < 0) return x === 1 ? 1 : x === -1 ? (y & 1 ? -1 : 1) : 0;
  let r = 1;
  for (; y > 0; y >>>= 1) {
    if (y & 1) r = Math.imul(r, x);
    x = Math.imul(x, x);
  }
  return r;
}

const FLOAT: BinaryKernels<BinaryLoop> = {
  add: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] + b[bi]; },
  sub: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] - b[bi]; },
  mul: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] * b[bi]; },
  div: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] / b[bi]; },
  pow: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = floatPow(a[ai], b[bi]); },
  maximum: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = Math.max(a[ai], b[bi]); },
  minimum: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = Math.min(a[ai], b[bi]); },
  mod: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = floorMod(a[ai], b[bi]); },
  equal: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] === b[bi] ? 1 : 0; },
  notEqual: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] !== b[bi] ? 1 : 0; },
  less: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] < b[bi] ? 1 : 0; },
  lessEqual: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] <= b[bi] ? 1 : 0; },
  greater: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] > b[bi] ? 1 : 0; },
  greaterEqual: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] >= b[bi] ? 1 : 0; },
  // NaN is truthy, as in numpy.
  logicalAnd: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] !== 0 && b[bi] !== 0 ? 1 : 0; },
  logicalOr: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = a[ai] !== 0 || b[bi] !== 0 ? 1 : 0; },
};

/** int32/uint8 (and bool) arithmetic differs where doubles would lose the wrapped low bits or the floor. */
const INTEGER: BinaryKernels<BinaryLoop> = {
  ...FLOAT,
  mul: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = Math.imul(a[ai], b[bi]); },
  div: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = Math.floor(a[ai] / b[bi]); },
  pow: (a, ai, as, b, bi, bs, o, oi, n) => { for (const end = oi + n; oi < end; oi++, ai += as, bi += bs) o[oi] = intPow(a[ai], b[bi]); },
};

/** Writes `out` (outShape, bool for comparisons); dtype is the inputs'. */
export function binary(op: BinaryOp, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, dtype: DType, outShape: Shape, out: TypedArray): void {
  const loop = (dtype === 'float32' ? FLOAT : INTEGER)[op];
  const { length, steps, starts } = broadcastRuns(outShape, [aShape, bShape]);
  const [aStarts, bStarts] = starts;
  for (let r = 0; r < aStarts.length; r++) loop(a, aStarts[r], steps[0], b, bStarts[r], steps[1], out, r * length, length);
}
