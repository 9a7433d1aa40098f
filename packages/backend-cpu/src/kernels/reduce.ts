import type { ReduceKernels, ReduceLayout, ReduceOp, DType, TypedArray } from '@strata/core';

/**
 * x is viewed as [outer, reduceSize, inner]; out is [outer, inner]. Each kernel walks the reduced rows
 * in memory order, keeping one float64 accumulator per inner position (exact int32 sums, no float32
 * rounding between steps); the final store into `out` rounds or wraps.
 */
type ReduceKernel = (x: TypedArray, out: TypedArray, layout: ReduceLayout, isInt: boolean) => void;

function fold(x: TypedArray, out: TypedArray, layout: ReduceLayout, init: number, step: (acc: number, v: number) => number): void {
  const { outer, reduceSize, inner } = layout;
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    acc.fill(init);
    for (let r = 0, base = o * reduceSize * inner; r < reduceSize; r++, base += inner) {
      for (let j = 0; j < inner; j++) acc[j] = step(acc[j], x[base + j]);
    }
    out.set(acc, o * inner);
  }
}

/** Index of the first extreme; a NaN counts as the extreme (numpy), so the first NaN wins. */
function argFold(x: TypedArray, out: TypedArray, layout: ReduceLayout, beats: (v: number, best: number) => boolean): void {
  const { outer, reduceSize, inner } = layout;
  const best = new Float64Array(inner);
  const index = new Int32Array(inner);
  for (let o = 0; o < outer; o++) {
    const first = o * reduceSize * inner;
    index.fill(0);
    if (reduceSize > 0) best.set(x.subarray(first, first + inner));
    for (let r = 1, base = first + inner; r < reduceSize; r++, base += inner) {
      for (let j = 0; j < inner; j++) {
        const v = x[base + j];
        if (beats(v, best[j])) { best[j] = v; index[j] = r; }
      }
    }
    out.set(index, o * inner);
  }
}

const isFirstNaN = (v: number, best: number): boolean => v !== v && best === best;

const KERNELS: ReduceKernels<ReduceKernel> = {
  sum: (x, out, layout) => fold(x, out, layout, 0, (acc, v) => acc + v),
  // Products of int32 must wrap at every step, which doubles cannot do once past 2^53.
  prod: (x, out, layout, isInt) => fold(x, out, layout, 1, isInt ? Math.imul : (acc, v) => acc * v),
  max: (x, out, layout) => fold(x, out, layout, -Infinity, Math.max),
  min: (x, out, layout) => fold(x, out, layout, Infinity, Math.min),
  argmax: (x, out, layout) => argFold(x, out, layout, (v, best) => v > best || isFirstNaN(v, best)),
  argmin: (x, out, layout) => argFold(x, out, layout, (v, best) => v < best || isFirstNaN(v, best)),
};

/** Writes `out` ([outer, inner]; int32 for argmax/argmin, else the input dtype). */
export function reduce(op: ReduceOp, x: TypedArray, dtype: DType, layout: ReduceLayout, out: TypedArray): void {
  KERNELS[op](x, out, layout, dtype !== 'float32');
}
