// Throughput of the wasm matmul (best of N after warm-up), on one thread (the gemm kernel called directly)
// and through the backend on every core. Node 20 cannot run .ts directly:
//   npx esbuild packages/backend-cpu/bench/matmul.bench.ts --bundle --platform=node --format=esm --outfile=/tmp/matmul.bench.mjs && node /tmp/matmul.bench.mjs
import type { MatmulSpec } from '../../core/src/backend.ts';
import type { CpuRef } from '../src/ref.ts';
import { backend, rt, tensor } from './setup.ts';

/** [m, k, n, transA, transB]: the book step's matmuls (layer-1 forward, weight gradient xᵀ·dY, layer 2) and squares. */
const CASES: [number, number, number, boolean, boolean][] = [
  [128, 784, 512, false, false], [128, 784, 512, true, false], [128, 784, 512, false, true], [128, 784, 512, true, true],
  [784, 128, 512, true, false], [128, 512, 10, false, false], [512, 128, 10, true, false], [128, 10, 512, false, true],
  [512, 512, 512, false, false], [1024, 1024, 1024, false, false],
];

/** Best time of `fn` in ms over enough repetitions for ~2 GFLOP of work. */
function best(flops: number, fn: () => void): number {
  const reps = Math.max(5, Math.ceil(Number(process.env.BENCH_FLOPS ?? 2e9) / flops));
  for (let i = 0; i < 3; i++) fn();
  let min = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

console.log(`threads: ${rt.threads.size}, kernels: ${rt.simd} build`);
for (const [m, k, n, transA, transB] of CASES) {
  const a = tensor(m * k);
  const b = tensor(k * n);
  const spec: MatmulSpec = { batch: 1, batchA: 1, batchB: 1, m, k, n, transA, transB };
  const flops = 2 * m * k * n;
  const all = best(flops, () => backend.release(backend.matmul(a, b, spec)));
  const out = backend.matmul(a, b, spec) as CpuRef;
  const [aPtr, bPtr] = [(a.ref as CpuRef).ptr, (b.ref as CpuRef).ptr];
  const [aRow, aCol] = transA ? [1, m] : [k, 1];
  const [bRow, bCol] = transB ? [1, k] : [n, 1];
  const one = best(flops, () => rt.kernels.gemm(aPtr, aRow, aCol, bPtr, bRow, bCol, out.ptr, n, 0, 0, 0, m, 0, n, k, rt.gemmScratch[0]));
  const gflops = (ms: number) => (flops / ms / 1e6).toFixed(1);
  const tag = `${m}x${k}x${n} ${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;
  console.log(`${tag.padEnd(18)} 1 thread ${one.toFixed(2)} ms ${gflops(one)} GFLOP/s | backend ${all.toFixed(2)} ms ${gflops(all)} GFLOP/s`);
  for (const t of [a.ref, b.ref, out]) backend.release(t);
}
