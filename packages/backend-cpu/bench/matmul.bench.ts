// Throughput of the blocked matmul (best of N after JIT warm-up). Node 20 cannot run .ts directly:
//   npx esbuild packages/backend-cpu/bench/matmul.bench.ts --bundle --platform=node --format=esm --outfile=/tmp/matmul.bench.mjs && node /tmp/matmul.bench.mjs
import { matmul } from '../src/kernels/matmul.ts';

const CASES: [number, number, number][] = [[128, 784, 512], [128, 512, 10], [512, 512, 512], [1024, 1024, 1024]];

function bench(m: number, k: number, n: number, transA: boolean, transB: boolean): void {
  const a = Float32Array.from({ length: m * k }, () => Math.random() - 0.5);
  const b = Float32Array.from({ length: k * n }, () => Math.random() - 0.5);
  const spec = { batch: 1, batchA: 1, batchB: 1, m, k, n, transA, transB };
  const flops = 2 * m * k * n;
  const reps = Math.max(3, Math.ceil(2e9 / flops));
  for (let i = 0; i < 20; i++) matmul(a, b, undefined, spec); // warm up the JIT
  let best = Infinity;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    matmul(a, b, undefined, spec);
    best = Math.min(best, performance.now() - t0);
  }
  const tag = `${transA ? 'T' : 'N'}${transB ? 'T' : 'N'}`;
  console.log(`${m}x${k}x${n} ${tag}: ${best.toFixed(2)} ms, ${(flops / best / 1e6).toFixed(2)} GFLOP/s`);
}

for (const [m, k, n] of CASES) {
  const combos = m === 128 && k === 784 ? [[false, false], [true, false], [false, true], [true, true]] : [[false, false]];
  for (const [ta, tb] of combos) bench(m, k, n, ta, tb);
}
