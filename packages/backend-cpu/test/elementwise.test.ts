import { beforeAll, describe, expect, it } from 'vitest';
import type { BinaryOp, ReduceOp, TensorInfo, UnaryOp } from '../../core/src/backend.ts';
import { COMPARE_OPS } from '../../core/src/backend.ts';
import type { Shape } from '../../core/src/shape.ts';
import { sizeOf } from '../../core/src/shape.ts';
import { createCpuBackend } from '../src/index.ts';
import { binary } from '../src/kernels/binary.ts';
import { reduce } from '../src/kernels/reduce.ts';
import { unary } from '../src/kernels/unary.ts';
import { BINARY_WASM_OPS, REDUCE_WASM_OPS, UNARY_WASM_OPS } from '../src/wasm/ops.ts';
import { wasmRuntime } from '../src/wasm/runtime.ts';

// The wasm float32 kernels must give exactly what the TypeScript kernels (float64 math, one rounding) give,
// on long runs (SIMD body and scalar tail), broadcast runs, and with NaN, ±0 and ±Infinity; the large ones
// (HUGE, [300, 1024]) are split over the worker threads, by length or by runs.

const backend = createCpuBackend();

function values(shape: Shape, seed: number): Float32Array {
  const specials = [NaN, 0, -0, Infinity, -Infinity, 1e-30, -1e30];
  let s = seed;
  return Float32Array.from({ length: sizeOf(shape) }, (_, i) => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return i % 97 === 0 ? specials[(i / 97) % specials.length] : (s / 2 ** 32 - 0.5) * 8;
  });
}

function upload(x: Float32Array, shape: Shape): TensorInfo {
  return { ref: backend.upload(x, shape, 'float32'), shape, dtype: 'float32' };
}

/** Positions where `got` and `want` differ (NaN equals NaN, -0 differs from 0), as "i: got≠want" (first 5). */
function mismatches(ref: TensorInfo['ref'], shape: Shape, want: Float32Array | Int32Array | Uint8Array): string[] {
  const dtype = want instanceof Uint8Array ? 'bool' : want instanceof Int32Array ? 'int32' : 'float32';
  const got = backend.readSync({ ref, shape, dtype });
  const bad: string[] = [];
  for (let i = 0; i < want.length && bad.length < 5; i++) {
    const [g, w] = [got[i], want[i]];
    if (!(g === w ? g !== 0 || 1 / g === 1 / w : g !== g && w !== w)) bad.push(`${i}: ${g}≠${w}`);
  }
  return got.length === want.length ? bad : [`length ${got.length}≠${want.length}`];
}

const BIG = 1 << 12;
const HUGE = (1 << 17) + 3;
const SHAPE_PAIRS: [Shape, Shape][] = [[[BIG + 3], [BIG + 3]], [[HUGE], [HUGE]], [[HUGE], []], [[BIG + 3], []], [[], [7]], [[1024, 300], [300]], [[300, 1024], [300, 1]], [[5, 3], [5, 3]]];

describe('wasm element-wise kernels match the TypeScript definitions bit for bit', () => {
  beforeAll(() => wasmRuntime().threadsStarted);

  it.each(BINARY_WASM_OPS.map((op) => [op]))('binary %s', (op: BinaryOp) => {
    const isCompare = (COMPARE_OPS as readonly string[]).includes(op);
    for (const [aShape, bShape] of SHAPE_PAIRS) {
      const outShape = sizeOf(aShape) >= sizeOf(bShape) ? aShape : bShape;
      const a = values(aShape, 1);
      const b = values(bShape, 2);
      const want = isCompare ? new Uint8Array(sizeOf(outShape)) : new Float32Array(sizeOf(outShape));
      binary(op, a, aShape, b, bShape, 'float32', outShape, want);
      expect(mismatches(backend.binary(op, upload(a, aShape), upload(b, bShape), outShape), outShape, want), `${aShape} ${op} ${bShape}`).toEqual([]);
    }
  });

  it.each(UNARY_WASM_OPS.map((op) => [op]))('unary %s', (op: UnaryOp) => {
    for (const shape of [[BIG + 1], [HUGE], [13]]) {
      const x = values(shape, 3);
      const want = new Float32Array(x.length);
      unary(op, x, 'float32', want);
      expect(mismatches(backend.unary(op, upload(x, shape)), shape, want)).toEqual([]);
    }
  });

  it.each(REDUCE_WASM_OPS.map((op) => [op]))('%s over every [outer, reduceSize, inner] layout', (op: ReduceOp) => {
    const layouts = [
      { outer: 1, reduceSize: 128, inner: 513 }, { outer: 128, reduceSize: 10, inner: 1 }, { outer: 2, reduceSize: BIG + 5, inner: 1 }, { outer: 30, reduceSize: 67, inner: 1 },
      { outer: 3, reduceSize: 0, inner: 4 }, { outer: 2, reduceSize: 5, inner: 2 },
    ];
    // Rows of 67 miss the specials (every 97th value) about a third of the time.
    for (const layout of layouts) {
      const shape = [layout.outer, layout.reduceSize, layout.inner];
      const x = values(shape, 4);
      const want = op === 'argmax' ? new Int32Array(layout.outer * layout.inner) : new Float32Array(layout.outer * layout.inner);
      reduce(op, x, 'float32', layout, want);
      expect(mismatches(backend.reduce(op, upload(x, shape), layout), [want.length], want), JSON.stringify(layout)).toEqual([]);
    }
  });
});
