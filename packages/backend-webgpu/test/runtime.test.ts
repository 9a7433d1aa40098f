import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHADERS } from '../src/shaders.generated.ts';
import { seeded, tensor, upload, useBackend } from './helpers.ts';

const backend = useBackend();

describe('runtime', () => {
  it('shaders.generated.ts matches shaders/*.wgsl (run scripts/gen-shaders.mjs if not)', () => {
    const dir = join(import.meta.dirname, '../../../shaders');
    const files = readdirSync(dir).filter((f) => f.endsWith('.wgsl')).sort();
    expect(Object.keys(SHADERS).sort()).toEqual(files.map((f) => f.slice(0, -5)).sort());
    for (const f of files) expect(SHADERS[f.slice(0, -5) as keyof typeof SHADERS], f).toBe(readFileSync(join(dir, f), 'utf8'));
  });

  it('element-wise grids over 65,535 workgroups are split into 2-D', async () => {
    const b = backend();
    const n = 65535 * 256 + 1000; // one more workgroup row than one dimension holds
    const x = new Float32Array(n);
    for (let i = 0; i < n; i++) x[i] = i % 1000;
    // a row broadcast takes the strided kernel, one thread per element (flat ones loop over a capped grid)
    const y = await b.read(tensor(b.binary('add', upload(b, x, [n / 2, 2]), upload(b, [0.5, 0.25], [2]), [n / 2, 2]), [n]));
    let wrong = 0;
    for (let i = 0; i < n; i++) if (y[i] !== (i % 1000) + (i % 2 ? 0.25 : 0.5)) wrong++;
    expect(wrong).toBe(0);
  });

  it('matmul grids over 65,535 workgroups in one dimension are split (a batch of 65,600 matrices)', async () => {
    const b = backend();
    const [batch, m, k, n] = [65_600, 17, 3, 5]; // m > 16: a tiled kernel, whose grid has one z-slice per matrix
    const [as, ws, bias] = [seeded(batch * m * k, 2), seeded(k * n, 3), seeded(n, 4)];
    const spec = { batch, batchA: batch, batchB: 1, m, k, n, transA: false, transB: false, bias: upload(b, bias, [n]) };
    const before = b.stats().dispatches;
    const got = await b.read(tensor(b.matmul(upload(b, as, [batch, m, k]), upload(b, ws, [1, k, n]), spec), [batch, m, n]));
    expect(b.stats().dispatches - before, 'split into several dispatches').toBeGreaterThan(1);
    let worst = 0;
    for (let r = 0; r < batch * m; r++) {
      for (let j = 0; j < n; j++) {
        let want = bias[j]; // float64
        for (let q = 0; q < k; q++) want += as[r * k + q] * ws[q * n + j];
        worst = Math.max(worst, Math.abs(got[r * n + j] - want));
      }
    }
    expect(worst).toBeLessThan(1e-5);
  });

  it('pipeline-cache hits give identical results', async () => {
    const b = backend();
    const a = upload(b, seeded(300 * 40), [300, 40]);
    const w = upload(b, seeded(40 * 24, 9), [40, 24]);
    const spec = { batch: 1, batchA: 1, batchB: 1, m: 300, k: 40, n: 24, transA: false, transB: false };
    const first = await b.read(tensor(b.matmul(a, w, spec), [300, 24]));
    const pipelines = b.stats().pipelines;
    const second = await b.read(tensor(b.matmul(a, w, spec), [300, 24]));
    expect(b.stats().pipelines).toBe(pipelines);
    expect(second).toEqual(first);
  });

  it('released buffers are reused: pool bytes stable and buffer count bounded over 1,000 ops', async () => {
    const b = backend();
    const x = upload(b, seeded(4096), [4096]);
    const step = () => {
      const y = b.unary('tanh', x);
      const z = b.binary('mul', tensor(y, [4096]), x, [4096]);
      b.release(y);
      b.release(z);
    };
    // Warm up past one auto-submit batch: the pool then holds one batch's worth of buffers.
    for (let i = 0; i < 300; i++) step();
    b.flush();
    const created = b.stats().buffersCreated;
    const pooled = b.memory().bytesInPool;
    const inUse = b.memory().bytesInUse;
    for (let i = 0; i < 1000; i++) step();
    b.flush();
    expect(b.memory().bytesInPool).toBe(pooled);
    expect(b.memory().bytesInUse).toBe(inUse);
    expect(b.stats().buffersCreated).toBe(created);
    await b.read(tensor(x.ref, [4096]));
  });

  it('dtypes round-trip through 32-bit storage', async () => {
    const b = backend();
    const u8 = Uint8Array.from([0, 1, 127, 255]);
    const got = await b.read(tensor(b.upload(u8, [4], 'uint8'), [4], 'uint8'));
    expect(got).toBeInstanceOf(Uint8Array);
    expect([...got]).toEqual([...u8]);
    const i32 = Int32Array.from([-2147483648, -1, 0, 2147483647]);
    expect([...(await b.read(tensor(b.upload(i32, [4], 'int32'), [4], 'int32')))]).toEqual([...i32]);
  });

  it('using released data is a clear error', () => {
    const b = backend();
    const x = upload(b, [1, 2], [2]);
    b.release(x.ref);
    expect(() => b.unary('neg', x)).toThrow(/already released/);
  });
});
