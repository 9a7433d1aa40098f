import { describe, expect, it } from 'vitest';
import type { Shape } from '../../core/src/shape.ts';
import { broadcastShapes, sizeOf, stridesOf } from '../../core/src/shape.ts';
import type { DType } from '../../core/src/dtype.ts';
import { broadcastRuns } from '../src/kernels/broadcast.ts';
import { createCpuBackend } from '../src/index.ts';

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

const backend = createCpuBackend();
const upload = (values: Float32Array | Int32Array | Uint8Array, shape: Shape, dtype: DType) => ({ ref: backend.upload(values, shape, dtype), shape, dtype });

const PAIRS: [Shape, Shape][] = [
  [[128, 512], [512]], [[2, 3, 4], [2, 3, 4]], [[2, 3, 4], []], [[], [5]], [[3, 1], [1, 4]], [[2, 1, 4], [3, 1]],
  [[4, 1, 3, 1, 2], [5, 3, 1, 2]], [[1, 1], [1]], [[2, 0, 3], [3]], [[6, 1], [6, 5]], [[1, 5, 1], [3, 1, 7]],
];

describe('binary broadcasting', () => {
  // float32 runs in wasm (assembly/binary.ts), int32 in TypeScript (kernels/binary.ts).
  for (const dtype of ['float32', 'int32'] as const) {
    it(`matches per-element index math for every shape pair, both ways round (${dtype})`, () => {
      for (const [x, y] of PAIRS) {
        for (const [aShape, bShape] of [[x, y], [y, x]]) {
          const outShape = broadcastShapes('sub', aShape, bShape);
          const a = iota(aShape);
          const b = iota(bShape).map((v) => v * 1000);
          const ref = backend.binary('sub', upload(a, aShape, dtype), upload(b, bShape, dtype), outShape);
          const got = backend.readSync({ ref, shape: outShape, dtype });
          const round = dtype === 'float32' ? Math.fround : (v: number) => v;
          const want = Array.from({ length: sizeOf(outShape) }, (_, i) => round(a[sourceIndex(i, outShape, aShape)] - b[sourceIndex(i, outShape, bShape)]));
          expect([...got], `${aShape} - ${bShape}`).toEqual(want);
        }
      }
    });
  }

  it('merges axes into long contiguous runs', () => {
    expect(broadcastRuns([2, 3, 4], [[2, 3, 4], [2, 3, 4]])).toMatchObject({ length: 24, steps: [1, 1] });
    expect(broadcastRuns([2, 3, 4], [[2, 3, 4], []])).toMatchObject({ length: 24, steps: [1, 0] });
    const suffix = broadcastRuns([128, 512], [[128, 512], [512]]);
    expect(suffix).toMatchObject({ length: 512, steps: [1, 1] });
    expect(suffix.starts[1].every((s) => s === 0)).toBe(true);
    expect(broadcastRuns([128, 10], [[128, 10], [128, 1]])).toMatchObject({ length: 10, steps: [1, 0] });
  });

  it('where broadcasts its three operands', () => {
    const cond = upload(Uint8Array.of(1, 0, 1), [3], 'bool');
    const ref = backend.where(cond, upload(Float32Array.of(1, 2), [2, 1], 'float32'), upload(Float32Array.of(-1), [], 'float32'), [2, 3]);
    expect([...backend.readSync({ ref, shape: [2, 3], dtype: 'float32' })]).toEqual([1, -1, 1, 2, -1, 2]);
  });

  it('where copies or fills whole runs when the condition is constant along them', () => {
    const a = upload(Float32Array.of(1, 2, 3, 4, 5, 6), [2, 3], 'float32');
    const b = upload(Float32Array.of(-1), [], 'float32');
    const read = (ref: ReturnType<typeof backend.where>) => [...backend.readSync({ ref, shape: [2, 3], dtype: 'float32' })];
    for (const [verdict, want] of [[1, [1, 2, 3, 4, 5, 6]], [0, [-1, -1, -1, -1, -1, -1]]] as const) {
      expect(read(backend.where(upload(Uint8Array.of(verdict), [], 'bool'), a, b, [2, 3]))).toEqual(want);
    }
    expect(read(backend.where(upload(Uint8Array.of(0, 1), [2, 1], 'bool'), a, b, [2, 3]))).toEqual([-1, -1, -1, 4, 5, 6]);
    expect(read(backend.where(upload(Uint8Array.of(1, 0), [2, 1], 'bool'), b, a, [2, 3]))).toEqual([-1, -1, -1, 4, 5, 6]);
  });
});
