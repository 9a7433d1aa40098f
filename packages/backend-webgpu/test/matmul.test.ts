import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MatmulSpec } from '../../core/src/backend.ts';
import { getGpu } from '../src/device.ts';
import { createWebGpuBackend, type WebGpuBackend } from '../src/index.ts';
import { seeded, tensor, upload, useBackend } from './helpers.ts';

const backend = useBackend();

/** float64 reference of the batched matmul spec. */
function reference(a: Float32Array, b: Float32Array, s: MatmulSpec, bias?: Float32Array): Float64Array {
  const { batch, m, k, n } = s;
  const out = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const ao = s.batchA === 1 ? 0 : t * m * k;
    const bo = s.batchB === 1 ? 0 : t * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = bias ? bias[j] : 0;
        for (let p = 0; p < k; p++) acc += a[ao + (s.transA ? p * m + i : i * k + p)] * b[bo + (s.transB ? j * k + p : p * n + j)];
        out[(t * m + i) * n + j] = s.activation === 'relu' ? Math.max(acc, 0) : acc;
      }
    }
  }
  return out;
}

async function check(s: MatmulSpec, withBias = false, be: WebGpuBackend = backend()): Promise<void> {
  const a = seeded(s.batchA * s.m * s.k, 1);
  const b = seeded(s.batchB * s.k * s.n, 2);
  const bias = withBias ? seeded(s.n, 3) : undefined;
  const at = upload(be, a, [s.batchA, s.transA ? s.k : s.m, s.transA ? s.m : s.k]);
  const bt = upload(be, b, [s.batchB, s.transB ? s.n : s.k, s.transB ? s.k : s.n]);
  const spec = bias ? { ...s, bias: upload(be, bias, [s.n]) } : s;
  const out = await be.read(tensor(be.matmul(at, bt, spec), [s.batch, s.m, s.n]));
  const expected = reference(a, b, s, bias);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(out[i] - expected[i]));
  expect(worst).toBeLessThan(1e-4 * Math.sqrt(s.k) + 1e-5);
}

const spec = (m: number, k: number, n: number, extra: Partial<MatmulSpec> = {}): MatmulSpec =>
  ({ batch: 1, batchA: 1, batchB: 1, m, k, n, transA: false, transB: false, ...extra });

describe('matmul', () => {
  // Shapes hit every load mode: multiples of 4 (vec4 along k, m or n) and not (strided scalars, k tails).
  const shapes: [number, number, number][] = [[68, 36, 72], [67, 37, 71], [17, 5, 130], [130, 9, 17]];
  for (const [m, k, n] of shapes) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`${m}×${k}×${n} transA=${transA} transB=${transB}`, () => check(spec(m, k, n, { transA, transB })));
      }
    }
  }

  it('skinny shapes (m ≤ 16) and few columns', async () => {
    await check(spec(1, 784, 512));
    await check(spec(128, 512, 10, { transB: true }));
    await check(spec(3, 1000, 5, { transA: true }));
  });

  it('batch broadcast of either operand', async () => {
    await check(spec(20, 12, 24, { batch: 3, batchA: 3, batchB: 1 }));
    await check(spec(20, 12, 8, { batch: 3, batchA: 1, batchB: 3, transB: true }));
  });

  it('fused bias + relu epilogue on both kernels', async () => {
    await check(spec(70, 33, 66, { activation: 'relu' }), true);
    await check(spec(9, 33, 66, { activation: 'relu' }), true);
  });

  it('k = 0 gives zeros (or the bias)', async () => {
    await check(spec(5, 0, 20), true);
  });

  it('operands over 16 MiB: 2048×2048 float32', async () => {
    const be = backend();
    const n = 2048;
    const a = seeded(n * n, 4);
    const b = seeded(n * n, 5);
    const out = await be.read(tensor(be.matmul(upload(be, a, [n, n]), upload(be, b, [n, n]), spec(n, n, n)), [n, n]));
    // Spot-check rows against float64 (a full reference would take minutes in JS).
    for (const [i, j] of [[0, 0], [5, 2047], [1023, 77], [2047, 2047], [1500, 4]]) {
      let acc = 0;
      for (let p = 0; p < n; p++) acc += a[i * n + p] * b[p * n + j];
      expect(Math.abs(out[i * n + j] - acc)).toBeLessThan(5e-3);
    }
  });
});

// Where subgroups are 4 lanes (SwiftShader) the default device runs the quad kernel; a device without the
// subgroups feature keeps the tiled kernel covered.
describe('matmul, tiled kernel (device without subgroups)', () => {
  let device: GPUDevice | undefined;
  let tiled: WebGpuBackend | undefined;
  beforeAll(async () => {
    const adapter = await (await getGpu()).requestAdapter();
    device = await adapter!.requestDevice();
    tiled = await createWebGpuBackend({ device });
  });
  afterAll(async () => {
    await tiled?.dispose();
    device?.destroy();
  });
  for (const [m, k, n] of [[68, 36, 72], [67, 37, 71], [130, 9, 17]]) {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        it(`${m}×${k}×${n} transA=${transA} transB=${transB}`, () => check(spec(m, k, n, { transA, transB }), false, tiled));
      }
    }
  }
  it('batch broadcast and the bias + relu epilogue', async () => {
    await check(spec(20, 12, 24, { batch: 3, batchA: 3, batchB: 1 }), false, tiled);
    await check(spec(70, 33, 66, { activation: 'relu' }), true, tiled);
  });
});
