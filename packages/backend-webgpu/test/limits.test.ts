import { describe, expect, it } from 'vitest';
import type { TensorInfo } from '../../core/src/backend.ts';
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
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]) / Math.max(1, Math.abs(want[i])));
  expect(worst).toBeLessThanOrEqual(tol);
}

function matmulRef(a: Float32Array, bm: Float32Array, batch: number, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(batch * m * n);
  for (let p = 0; p < batch; p++) for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let acc = 0;
    for (let q = 0; q < k; q++) acc += a[p * m * k + i * k + q] * bm[q * n + j];
    out[(p * m + i) * n + j] = acc;
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

  it('matmul split by rows (binding limit), by batch, and by grid rows over 16 × 64', async () => {
    const b = backend();
    const cases: Array<[number, number, number, number]> = [[1, 300, 100, 60], [40, 20, 12, 8], [1, 1100, 8, 8], [20, 20, 4, 4]];
    for (const [batch, m, k, n] of cases) {
      const as = seeded(batch * m * k, m);
      const bs = seeded(k * n, n);
      const spec = { batch, batchA: batch, batchB: 1, m, k, n, transA: false, transB: false };
      const got = await splitRun(() => tensor(b.matmul(upload(b, as, [batch, m, k]), upload(b, bs, [1, k, n]), spec), [batch, m, n]));
      expectClose(got, matmulRef(as, bs, batch, m, k, n), 1e-5);
    }
  });

  it('work that cannot be split names the kernel and the limit', () => {
    const b = backend();
    // one reduction row longer than a binding: reductions split along rows only
    const long = upload(b, seeded(big), [big]);
    expect(() => b.reduce('argmax', long, { outer: 1, reduceSize: big, inner: 1 })).toThrow(/webgpu reduce argmax: one row of an operand spans 400012 bytes, more than this device's 65536-byte storage binding limit/);
    // a transposed A is bound whole: 300×100 floats exceed 64 KiB
    const spec = { batch: 1, batchA: 1, batchB: 1, m: 300, k: 100, n: 4, transA: true, transB: false };
    expect(() => b.matmul(upload(b, seeded(30_000), [100, 300]), upload(b, seeded(400), [100, 4]), spec)).toThrow(/webgpu matmul: one row of an operand spans 120000 bytes, more than this device's 65536-byte storage binding limit/);
  });
});
