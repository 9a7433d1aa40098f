// Workload B: single ops at fixed shapes, timed the same way for every framework. A run repeats the op
// `reps` times (each output disposed before the next op) and then reads one element of the last output, so
// GPU backends are timed to completion; reps are chosen so one run lasts about a quarter of a second.
import { mapSummary, summarize, type Summary } from './stats.ts';

/** One prepared op: inputs exist, `step` runs it once, `finish` waits for the device. */
export interface KernelCase {
  step(): void;
  finish(): Promise<void>;
  dispose(): void;
}

/** How a framework builds each benchmarked op from random inputs. */
export interface KernelFactory {
  matmul(m: number, k: number, n: number): KernelCase;
  add(size: number): KernelCase;
  sum(rows: number, cols: number): KernelCase;
}

export interface KernelSpec {
  readonly name: string;
  /** 'GFLOP/s' for matmul, 'GB/s' for memory-bound ops. */
  readonly unit: 'GFLOP/s' | 'GB/s';
  /** FLOPs or bytes moved per op. */
  readonly work: number;
  make(f: KernelFactory): KernelCase;
}

const matmulSpec = (m: number, k: number, n: number): KernelSpec => ({
  name: `matmul ${m}×${k}×${n}`, unit: 'GFLOP/s', work: 2 * m * k * n, make: (f) => f.matmul(m, k, n),
});

export const KERNEL_SPECS: readonly KernelSpec[] = [
  matmulSpec(128, 784, 512),
  matmulSpec(128, 512, 10),
  matmulSpec(512, 512, 512),
  matmulSpec(1024, 1024, 1024),
  { name: 'add 1M', unit: 'GB/s', work: 3 * 4 * 2 ** 20, make: (f) => f.add(2 ** 20) },
  { name: 'sum 60000×784', unit: 'GB/s', work: 4 * 60000 * 784, make: (f) => f.sum(60000, 784) },
];

export interface KernelResult {
  readonly name: string;
  readonly unit: KernelSpec['unit'];
  readonly rate: Summary;
}

const TARGET_RUN_SECONDS = 0.25;
const MAX_REPS = 200;

/** A case for op() over `inputs`; `settle` waits until the device has produced a result (reads one element). */
export function kernelCase<T extends { dispose(): void }>(inputs: readonly T[], op: () => T, settle: (result: T) => Promise<void>): KernelCase {
  let last: T | undefined;
  return {
    step() {
      last?.dispose();
      last = op();
    },
    finish: async () => (last ? settle(last) : undefined),
    dispose() {
      last?.dispose();
      inputs.forEach((t) => t.dispose());
    },
  };
}

export function randomValues(size: number): Float32Array {
  return Float32Array.from({ length: size }, () => Math.random() * 2 - 1);
}

async function secondsPerOp(c: KernelCase, reps: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < reps; i++) c.step();
  await c.finish();
  return (performance.now() - start) / 1000 / reps;
}

export async function timeKernels(factory: KernelFactory, runs: number): Promise<KernelResult[]> {
  const results: KernelResult[] = [];
  for (const spec of KERNEL_SPECS) {
    const c = spec.make(factory);
    try {
      const first = await secondsPerOp(c, 1); // warm-up: shader compiles, buffer allocation
      const reps = Math.min(MAX_REPS, Math.max(1, Math.ceil(TARGET_RUN_SECONDS / first)));
      const seconds: number[] = [];
      for (let r = 0; r < runs; r++) seconds.push(await secondsPerOp(c, reps));
      const rate = mapSummary(summarize(seconds), (s) => spec.work / s / 1e9);
      process.stderr.write(`  ${spec.name}: ${rate.median.toFixed(2)} ${spec.unit} (${reps} reps per run)\n`);
      results.push({ name: spec.name, unit: spec.unit, rate });
    } finally {
      c.dispose();
    }
  }
  return results;
}
