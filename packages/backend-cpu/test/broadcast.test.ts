import { describe, expect, it } from 'vitest';
import type { Shape } from '../../core/src/shape.ts';
import { broadcastShapes, sizeOf, stridesOf } from '../../core/src/shape.ts';
import { binary } from '../src/kernels/binary.ts';
import { broadcastRuns } from '../src/kernels/broadcast.ts';
import { where } from '../src/kernels/where.ts';

/** Flat index into `shape` (right-aligned, size-1 axes pinned) of output position `i` in `outShape`. */
function sourceIndex(i: number, outShape: Shape, shape: Shape): number {
  const outStrides = stridesOf(outShape);
  const strides = stridesOf(shape);
  let index = 0;
  for (let d = 0; d < outShape.length; d++) {
    const axis = d - (outShape.length - shape.length);
    const coord = Math.floor(i / outStrides[d]) % outShape[d];
    if (axis >= 0 && shape[axis] !== 1) index += coord * strides[axis];
  }
  return index;
}

const iota = (shape: Shape): Float32Array => Float32Array.from({ length: sizeOf(shape) }, (_, i) => i + 1);

const PAIRS: [Shape, Shape][] = [
  [[128, 512], [512]], [[2, 3, 4], [2, 3, 4]], [[2, 3, 4], []], [[], [5]], [[3, 1], [1, 4]], [[2, 1, 4], [3, 1]],
  [[4, 1, 3, 1, 2], [5, 3, 1, 2]], [[1, 1], [1]], [[2, 0, 3], [3]], [[6, 1], [6, 5]], [[1, 5, 1], [3, 1, 7]],
];

describe('binary broadcasting', () => {
  it('matches per-element index math for every shape pair, both ways round', () => {
    for (const [x, y] of PAIRS) {
      for (const [aShape, bShape] of [[x, y], [y, x]]) {
        const outShape = broadcastShapes('sub', aShape, bShape);
        const a = iota(aShape);
        const b = iota(bShape).map((v) => v * 1000);
        const got = binary('sub', a, aShape, b, bShape, 'float32', outShape);
        const want = Array.from({ length: sizeOf(outShape) }, (_, i) => Math.fround(a[sourceIndex(i, outShape, aShape)] - b[sourceIndex(i, outShape, bShape)]));
        expect([...got], `${aShape} - ${bShape}`).toEqual(want);
      }
    }
  });

  it('merges axes into long contiguous runs', () => {
    expect(broadcastRuns([2, 3, 4], [[2, 3, 4], [2, 3, 4]])).toMatchObject({ length: 24, steps: [1, 1] });
    expect(broadcastRuns([2, 3, 4], [[2, 3, 4], []])).toMatchObject({ length: 24, steps: [1, 0] });
    const suffix = broadcastRuns([128, 512], [[128, 512], [512]]);
    expect(suffix).toMatchObject({ length: 512, steps: [1, 1] });
    expect(suffix.starts[1].every((s) => s === 0)).toBe(true);
    expect(broadcastRuns([128, 10], [[128, 10], [128, 1]])).toMatchObject({ length: 10, steps: [1, 0] });
  });

  it('where broadcasts its three operands', () => {
    const cond = Uint8Array.of(1, 0, 1);
    const got = where(cond, [3], Float32Array.of(1, 2), [2, 1], Float32Array.of(-1), [], 'float32', [2, 3]);
    expect([...got]).toEqual([1, -1, 1, 2, -1, 2]);
  });
});
