import { describe, expect, it } from 'vitest';
import type { MatmulSpec, TensorInfo } from '../../core/src/backend.ts';
import { uniform01 } from '../../core/src/random.ts';
import { seeded, tensor, upload, useBackend } from './helpers.ts';

/**
 * Device limits: kernels split work whose buffers exceed the storage binding limit or whose grid exceeds
 * the workgroups per dimension. The limits are lowered (64 KiB bindings, 16 workgroups per dimension) so
 * every kernel family splits on small tensors; results must equal a plain JS reference exactly (or to
 * float32 rounding for sums and products). The real 65,535 limit is exercised in runtime.test.ts.
 */
const LIMIT_BYTES = 64 * 1024;
const backend = useBackend({ limits: { maxStorageBufferBindingSize: LIMIT_BYTES, maxComputeWorkgroupsPerDimension: 16 } });
const big = 100_003; // 400 KB: six bindings' worth, and an odd length

async function splitRun(run: () => TensorInfo): Promise<Float32Array | Int32Array | Uint8Array> {
  const b = backend();
  const before = b.stats().dispatches;
  const out = run();
  const values = await b.read(out);
  expect(b.stats().dispatches - before, 'the work was split into several dispatches').toBeGreaterThan(1);
  return values as Float32Array;
}

function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, tol = 0): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const err = Number.isNaN(want[i]) ? (Number.isNaN(got[i]) ? 0 : Infinity) : Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i]));
    worst = Math.max(worst, err);
  }
  expect(worst).toBeLessThanOrEqual(tol);
}

/** float64 C = op(A)·op(B) (+ bias, then relu) for `spec`. */
function matmulRef(as: Float32Array, bs: Float32Array, spec: MatmulSpec, bias?: Float32Array): Float64Array {
  const { batch, m, k, n } = spec;
  const a = (p: number, i: number, q: number) => as[(spec.batchA === 1 ? 0 : p) * m * k + (spec.transA ? q * m + i : i * k + q)];
  const b = (p: number, q: number, j: number) => bs[(spec.batchB === 1 ? 0 : p) * k * n + (spec.transB ? j * k + q : q * n + j)];
  const out = new Float64Array(batch * m * n);
  for (let p = 0; p < batch; p++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let acc = bias ? bias[j] : 0;
    for (let q = 0; q < k; q++) acc += a(p, i, q) * b(p, q, j);
    out[(p * m + i) * n + j] = spec.activation === 'relu' ? Math.max(0, acc) : acc;
  }
  return out;
}

/** float64 reduction of xs viewed as [outer, size, inner]: NaN wins, arg ops give the first extreme. */
function reduceRef(op: 'sum' | 'max' | 'min' | 'argmax' | 'argmin', xs: Float32Array, outer: number, size: number, inner: number): Float64Array {
  const out = new Float64Array(outer * inner);
  for (let o = 0; o < outer; o++) for (let i = 0; i < inner; i++) {
    const at = (r: number) => xs[(o * size + r) * inner + i];
    let [sum, best] = [0, 0];
    for (let r = 0; r < size; r++) {
      sum += at(r);
      const better = op.endsWith('max') ? at(r) > at(best) : at(r) < at(best);
      if (!Number.isNaN(at(best)) && (Number.isNaN(at(r)) || better)) best = r;
    }
    out[o * inner + i] = op === 'sum' ? sum : op.startsWith('arg') ? best : at(best);
  }
  return out;
}

describe('kernels split work that exceeds the device limits', () => {
  it('the device reports the lowered limit, and a tensor over it is stored in one buffer', () => {
    const b = backend();
    expect(b.device.limits.maxStorageBufferBindingSize).toBeGreaterThan(LIMIT_BYTES); // the cap is ours
    expect(() => upload(b, seeded(big), [big])).not.toThrow();
  });

  it('unary, cast and fill over a tensor 6× the binding limit', async () => {
    const b = backend();
    const xs = seeded(big);
    const x = upload(b, xs, [big]);
    expectClose(await splitRun(() => tensor(b.unary('neg', x), [big])), xs.map((v) => -v));
    const asInt = await splitRun(() => tensor(b.cast(x, 'int32'), [big], 'int32'));
    expectClose(asInt, Int32Array.from(xs));
    expectClose(await splitRun(() => tensor(b.fill([big], 2.5, 'float32'), [big])), new Float32Array(big).fill(2.5));
  });

  it('flat binary ops (same shapes, a scalar; 4 elements per thread) over a tensor 6× the binding limit', async () => {
    const b = backend();
    const n = 100_000; // a multiple of 4: vec4 units
    const [xs, ys] = [seeded(n, 8), seeded(n, 9)];
    const [x, y] = [upload(b, xs, [n]), upload(b, ys, [n])];
    const half = upload(b, [0.5], []);
    expectClose(await splitRun(() => tensor(b.binary('sub', x, y, [n]), [n])), xs.map((v, i) => Math.fround(v - ys[i])));
    expectClose(await splitRun(() => tensor(b.binary('mul', half, y, [n]), [n])), ys.map((v) => 0.5 * v));
    expectClose(await splitRun(() => tensor(b.binary('greater', x, half, [n]), [n], 'bool')), Uint8Array.from(xs, (v) => Number(v > 0.5)));
  });

  it('random: values stay a function of (seed, index) across split launches', async () => {
    const b = backend();
    const got = await splitRun(() => tensor(b.random([big], { kind: 'uniform', seed: 7, a: 0, b: 1 }), [big]));
    expectClose(got, Float64Array.from({ length: big }, (_, i) => uniform01(7, i)), 1e-6);
  });

  it('binary with broadcasting, where, and a strided copy (transpose, slice, concat)', async () => {
    const b = backend();
    const rows = 401;
    const cols = 250; // [401, 250] = 100,250 words
    const xs = seeded(rows * cols, 3);
    const rowVec = seeded(cols, 4);
    const x = upload(b, xs, [rows, cols]);
    const r = upload(b, rowVec, [cols]);
    const sum = await splitRun(() => tensor(b.binary('add', x, r, [rows, cols]), [rows, cols]));
    expectClose(sum, xs.map((v, i) => Math.fround(v + rowVec[i % cols])));
    const cond = upload(b, Uint8Array.from(xs, (v) => Number(v > 0)), [rows, cols], 'bool');
    const picked = await splitRun(() => tensor(b.where(cond, x, r, [rows, cols]), [rows, cols]));
    expectClose(picked, xs.map((v, i) => (v > 0 ? v : rowVec[i % cols])));
    const t = await splitRun(() => tensor(b.permute(x, [1, 0]), [cols, rows]));
    expectClose(t, Float32Array.from({ length: rows * cols }, (_, i) => xs[(i % rows) * cols + Math.floor(i / rows)]));
    const s = await splitRun(() => tensor(b.slice(x, [3, 5], [300, 200]), [300, 200]));
    expectClose(s, Float32Array.from({ length: 300 * 200 }, (_, i) => xs[(3 + Math.floor(i / 200)) * cols + 5 + (i % 200)]));
    const c = await splitRun(() => tensor(b.concat([x, x], 0), [2 * rows, cols]));
    expectClose(c, Float32Array.from({ length: 2 * rows * cols }, (_, i) => xs[i % (rows * cols)]));
  });

  it('reductions over the outer rows and over a long axis', async () => {
    const b = backend();
    const [outer, reduceSize, inner] = [500, 101, 2];
    const xs = seeded(outer * reduceSize * inner, 5);
    const x = upload(b, xs, [outer, reduceSize, inner]);
    const want = new Float64Array(outer * inner);
    for (let o = 0; o < outer; o++) for (let r = 0; r < reduceSize; r++) for (let i = 0; i < inner; i++) want[o * inner + i] += xs[(o * reduceSize + r) * inner + i];
    expectClose(await splitRun(() => tensor(b.reduce('sum', x, { outer, reduceSize, inner }), [outer, inner])), want, 1e-5);
  });

  it('gather of many rows', async () => {
    const b = backend();
    const table = seeded(30 * 8, 6);
    const idx = Int32Array.from({ length: 20_000 }, (_, i) => (i * 7) % 30);
    const got = await splitRun(() => tensor(b.gather(upload(b, table, [30, 8]), upload(b, idx, [idx.length], 'int32')), [idx.length, 8]));
    expectClose(got, Float32Array.from({ length: idx.length * 8 }, (_, i) => table[idx[Math.floor(i / 8)] * 8 + (i % 8)]));
  });

  it('gather from a table larger than a binding: a window of table rows per launch', async () => {
    const b = backend();
    const [rows, inner] = [3000, 8]; // 96 KB
    const table = seeded(rows * inner, 10);
    const idx = Int32Array.from({ length: 5000 }, (_, i) => (i === 0 ? rows - 1 : (i * 2654435761) % rows));
    const got = await splitRun(() => tensor(b.gather(upload(b, table, [rows, inner]), upload(b, idx, [idx.length], 'int32')), [idx.length, inner]));
    expectClose(got, Float32Array.from({ length: idx.length * inner }, (_, i) => table[idx[Math.floor(i / inner)] * inner + (i % inner)]));
  });

  it('matmul split by rows (binding limit), by batch, and by grid rows over 16 × 64', async () => {
    const b = backend();
    const cases: Array<[number, number, number, number]> = [[1, 300, 100, 60], [40, 20, 12, 8], [1, 1100, 8, 8], [20, 20, 4, 4]];
    for (const [batch, m, k, n] of cases) {
      const as = seeded(batch * m * k, m);
      const bs = seeded(k * n, n);
      const spec = { batch, batchA: batch, batchB: 1, m, k, n, transA: false, transB: false };
      const got = await splitRun(() => tensor(b.matmul(upload(b, as, [batch, m, k]), upload(b, bs, [1, k, n]), spec), [batch, m, n]));
      expectClose(got, matmulRef(as, bs, spec), 1e-5);
    }
  });

  it('matmul with a matrix larger than a binding: transposed A, transposed or row-major B, batched, skinny, wide', async () => {
    const b = backend();
    const plain = { batch: 1, batchA: 1, batchB: 1, transA: false, transB: false };
    const cases: MatmulSpec[] = [
      { ...plain, m: 300, k: 100, n: 4, transA: true }, // A stored [k, m]: copied row-major, then split by rows
      { ...plain, batch: 2, batchA: 2, m: 200, k: 100, n: 12, transA: true },
      { ...plain, m: 40, k: 100, n: 300, transB: true }, // B stored [n, k]: blocks of columns
      { ...plain, m: 20, k: 100, n: 300, activation: 'relu' }, // row-major B: copied transposed, then blocks of columns
      { ...plain, batch: 3, batchA: 3, batchB: 3, m: 150, k: 120, n: 8 }, // one matrix at a time
      { ...plain, m: 8, k: 3000, n: 8 }, // skinny kernel; B is 3000×8
      { ...plain, m: 64, k: 4, n: 2000 }, // more columns than the grid holds
    ];
    for (const spec of cases) {
      const { batch, m, k, n } = spec;
      const as = seeded(spec.batchA * m * k, m);
      const bs = seeded(spec.batchB * k * n, n);
      const bias = spec.activation ? seeded(n, 11) : undefined;
      const withBias = { ...spec, bias: bias && upload(b, bias, [n]) };
      const aShape = spec.transA ? [spec.batchA, k, m] : [spec.batchA, m, k];
      const bShape = spec.transB ? [spec.batchB, n, k] : [spec.batchB, k, n];
      const got = await splitRun(() => tensor(b.matmul(upload(b, as, aShape), upload(b, bs, bShape), withBias), [batch, m, n]));
      expectClose(got, matmulRef(as, bs, spec, bias), Math.max(1e-5, k * 1e-7)); // float32 accumulation over k
    }
  });

  it('a reduction row longer than a binding is cut into pieces: global first indices, NaN wins, Kahan sums', async () => {
    const b = backend();
    const ops = ['sum', 'max', 'min', 'argmax', 'argmin'] as const;
    // [2, 50001, 2]: rows of 400 KB; [1, 200, 1000]: the partials' rows exceed a binding too;
    // [2, 6, 5000]: two slices of partials over `inner` exceed a binding, so blocks of columns are reduced
    const layouts = [{ outer: 2, reduceSize: 50_001, inner: 2 }, { outer: 1, reduceSize: 200, inner: 1000 }, { outer: 2, reduceSize: 6, inner: 5000 }];
    for (const [l, { outer, reduceSize, inner }] of layouts.entries()) {
      const xs = seeded(outer * reduceSize * inner, 12 + l);
      const at = (o: number, r: number, i: number) => (o * reduceSize + r) * inner + i;
      if (l === 0) {
        [10, 20_000, 49_999].forEach((r) => (xs[at(0, r, 0)] = 5)); // equal maxima in different pieces
        [45_000, 3].forEach((r) => (xs[at(0, r, 1)] = -5)); // equal minima, the first in a later piece
        [40_000, 30_000].forEach((r) => (xs[at(1, r, 1)] = NaN));
      }
      const x = upload(b, xs, [outer, reduceSize, inner]);
      for (const op of ops) {
        const got = await splitRun(() => tensor(b.reduce(op, x, { outer, reduceSize, inner }), [outer, inner], op.startsWith('arg') ? 'int32' : 'float32'));
        expectClose(got, reduceRef(op, xs, outer, reduceSize, inner), op === 'sum' ? 1e-5 : 0);
      }
    }
  });
});
