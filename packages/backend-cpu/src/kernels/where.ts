import type { TypedArray, Shape } from '@strata/core';
import { broadcastRuns } from './broadcast.ts';

export function where(
  cond: TypedArray, condShape: Shape, a: TypedArray, aShape: Shape, b: TypedArray, bShape: Shape, outShape: Shape, out: TypedArray,
): void {
  const { length, steps: [cs, as, bs], starts: [cStarts, aStarts, bStarts] } = broadcastRuns(outShape, [condShape, aShape, bShape]);
  for (let r = 0, o = 0; r < cStarts.length; r++) {
    let ci = cStarts[r], ai = aStarts[r], bi = bStarts[r];
    for (const end = o + length; o < end; o++, ci += cs, ai += as, bi += bs) out[o] = cond[ci] !== 0 ? a[ai] : b[bi];
  }
}
