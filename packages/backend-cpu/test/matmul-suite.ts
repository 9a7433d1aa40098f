import { beforeAll, describe, expect, it } from 'vitest';
import type { MatmulSpec } from '../../core/src/backend.ts';
import { createCpuBackend } from '../src/index.ts';
import type { SimdVariant } from '../src/wasm/runtime.ts';
import { wasmRuntime } from '../src/wasm/runtime.ts';

function randomArray(n: number, seed: number): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 2 ** 32 - 0.5;
  });
}

/** Straightforward float64 reference of the MatmulSpec contract. */
function reference(a: Float32Array, b: Float32Array, bias: Float32Array | undefined, spec: MatmulSpec): Float64Array {
  const { batch, m, k, n, transA, transB } = spec;
  const out = new Float64Array(batch * m * n);
  for (let t = 0; t < batch; t++) {
    const aOff = (spec.batchA === 1 ? 0 : t) * m * k;
    const bOff = (spec.batchB === 1 ? 0 : t) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let acc = bias ? bias[j] : 0;
        for (let p = 0; p < k; p++) {
          acc += a[aOff + (transA ? p * m + i : i * k + p)] * b[bOff + (transB ? j * k + p : p * n + j)];
        }
        out[(t * m + i) * n + j] = spec.activation === 'relu' ? Math.max(acc, 0) : acc;
      }
    }
  }
  return out;
}

const backend = createCpuBackend();

function run(a: Float32Array, b: Float32Array, bias: Float32Array | undefined, spec: MatmulSpec): Float32Array {
  const tensor = (values: Float32Array) => ({ ref: backend.upload(values, [values.length], 'float32'), shape: [values.length], dtype: 'float32' as const });
  const specWithBias = bias ? { ...spec, bias: tensor(bias) } : spec;
  const ref = backend.matmul(tensor(a), tensor(b), specWithBias);
  return backend.readSync({ ref, shape: [spec.batch * spec.m * spec.n], dtype: 'float32' }) as Float32Array;
}

function check(spec: MatmulSpec, withBias: boolean): void {
  const a = randomArray(spec.batchA * spec.m * spec.k, 1 + spec.m);
  const b = randomArray(spec.batchB * spec.k * spec.n, 2 + spec.n);
  const bias = withBias ? randomArray(spec.n, 3) : undefined;
  const got = run(a, b, bias, spec);
  const want = reference(a, b, bias, spec);
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
  // float32 accumulation: a few ulps of the partial sums, far below the k · eps worst case.
  expect(worst).toBeLessThan(1e-5 * Math.max(1, Math.sqrt(spec.k)));
}

const SIZES = [1, 3, 17, 65, 130];
const TRANS: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];

/** The matmul tests, on the kernel build `simd` (matmul.test.ts: the relaxed one; matmul-baseline.test.ts). */
export const matmulSuite = (simd: SimdVariant) => describe(`packed wasm matmul (${simd} build) vs float64 triple loop`, () => {
  beforeAll(async () => {
    await wasmRuntime().threadsStarted;
  });

  it(`runs the ${simd} build`, () => {
    expect(wasmRuntime().simd).toBe(simd);
  });

  it('runs on every core once the workers have started', async () => {
    const { hardwareConcurrency } = await import('node:os').then((os) => ({ hardwareConcurrency: os.availableParallelism() }));
    expect(wasmRuntime().threads.size).toBe(Math.min(hardwareConcurrency, 16));
  });

  for (const [transA, transB] of TRANS) {
    it(`odd sizes, transA=${transA} transB=${transB}`, () => {
      for (const m of SIZES) for (const k of SIZES) for (const n of SIZES) {
        check({ batch: 1, batchA: 1, batchB: 1, m, k, n, transA, transB }, false);
      }
    });
  }

  it('k spanning several KC blocks, n several NC blocks, split across threads by rows and by columns', () => {
    for (const [transA, transB] of TRANS) {
      check({ batch: 1, batchA: 1, batchB: 1, m: 131, k: 520, n: 530, transA, transB }, true);
      check({ batch: 1, batchA: 1, batchB: 1, m: 300, k: 70, n: 120, transA, transB, activation: 'relu' }, true);
    }
  });

  it('batch broadcast of either operand', () => {
    for (const [batchA, batchB] of [[3, 3], [1, 3], [3, 1]]) {
      for (const [transA, transB] of TRANS) check({ batch: 3, batchA, batchB, m: 17, k: 65, n: 9, transA, transB }, false);
    }
  });

  it('fused bias and relu', () => {
    for (const [transA, transB] of TRANS) {
      check({ batch: 2, batchA: 2, batchB: 1, m: 33, k: 19, n: 70, transA, transB, activation: 'relu' }, true);
      check({ batch: 1, batchA: 1, batchB: 1, m: 5, k: 7, n: 3, transA, transB }, true);
      check({ batch: 1, batchA: 1, batchB: 1, m: 5, k: 7, n: 3, transA, transB, activation: 'relu' }, false);
    }
  });

  it('k = 0 gives bias (or zeros)', () => {
    const spec: MatmulSpec = { batch: 1, batchA: 1, batchB: 1, m: 2, k: 0, n: 3, transA: false, transB: false };
    expect([...run(new Float32Array(0), new Float32Array(0), undefined, spec)]).toEqual([0, 0, 0, 0, 0, 0]);
    expect([...run(new Float32Array(0), new Float32Array(0), Float32Array.of(1, 2, 3), spec)]).toEqual([1, 2, 3, 1, 2, 3]);
  });
});
