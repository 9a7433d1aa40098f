// Element-wise add on one thread (the wasm kernel called directly) and through the backend (split over
// every core from PARALLEL_ELEMENTS on), by size: where the split starts paying. Node 20 cannot run .ts:
//   npx esbuild packages/backend-cpu/bench/elementwise.bench.ts --bundle --platform=node --format=esm --outfile=/tmp/elementwise.bench.mjs && node /tmp/elementwise.bench.mjs
import type { CpuRef } from '../src/ref.ts';
import { backend, rt, tensor } from './setup.ts';

/** Median time of `fn` in ms over 200 runs after warm-up. */
function median(fn: () => void): number {
  for (let i = 0; i < 20; i++) fn();
  const times = Array.from({ length: 200 }, () => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  });
  return times.sort((x, y) => x - y)[100];
}

/** One run's start offsets for the direct kernel call: a single 0. */
const zeroStart = rt.heap.alloc(16).ptr;
new Int32Array(rt.heap.memory.buffer, zeroStart, 4).fill(0);

console.log(`threads: ${rt.threads.size}`);
for (const length of [1 << 14, 1 << 15, 1 << 16, 1 << 17, 784 * 512, 1 << 20]) {
  const [a, b] = [tensor(length), tensor(length)];
  const out = backend.binary('add', a, b, [length]) as CpuRef;
  const [aPtr, bPtr] = [(a.ref as CpuRef).ptr, (b.ref as CpuRef).ptr];
  const one = median(() => rt.kernels.binaryF32(0, aPtr, 1, zeroStart, bPtr, 1, zeroStart, out.ptr, length, 1));
  const all = median(() => backend.release(backend.binary('add', a, b, [length])));
  const gbs = (ms: number) => ((12 * length) / ms / 1e6).toFixed(1);
  console.log(`add ${String(length).padStart(8)}  1 thread ${one.toFixed(3)} ms ${gbs(one)} GB/s | backend ${all.toFixed(3)} ms ${gbs(all)} GB/s`);
  for (const t of [a.ref, b.ref, out]) backend.release(t);
}
