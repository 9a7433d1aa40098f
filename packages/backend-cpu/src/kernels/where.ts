import type { TypedArray, Shape } from '@strata/core';
import { broadcastRuns } from './broadcast.ts';

/** out = cond ? a : b per element, numpy broadcasting. */
export function where(
  cond: TypedArray, condShape: Shape, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, outShape: Shape, out: TypedArray,
): void {
  const { length, steps: [cs, as, bs], starts: [cStarts, aStarts, bStarts] } = broadcastRuns(outShape, [condShape, aShape, bShape]);
  for (let r = 0, o = 0; r < cStarts.length; r++) {
    let ci = cStarts[r], ai = aStarts[r], bi = bStarts[r];
    if (cs === 0) {
      // One condition for the whole run (a scalar verdict, as the step guard's): copy or fill it at once.
      const [from, at, step] = cond[ci] !== 0 ? [a, ai, as] : [b, bi, bs];
      if (step === 0) out.fill(from[at], o, o + length);
      else out.set(from.subarray(at, at + length), o);
      o += length;
      continue;
    }
    for (const end = o + length; o < end; o++, ci += cs, ai += as, bi += bs) out[o] = cond[ci] !== 0 ? a[ai] : b[bi];
  }
}
