import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_WASM } from '../src/wasm/kernels.generated.ts';
import { UNARY_WASM_OPS } from '../src/wasm/ops.ts';
import { WORKER_FNS } from '../src/wasm/runtime.ts';
import { ThreadPool, ranges } from '../src/wasm/threads.ts';
import { BOARD, BOARD_BYTES } from '../src/wasm/worker-source.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const UNARY = WORKER_FNS.indexOf('unaryF32');
const NEG = UNARY_WASM_OPS.indexOf('neg');
const BOARD_AT = 64;
const DATA_AT = 16384;

/** A pool of `workers` on a fresh shared memory, and the kernels on the calling thread. */
async function pool(workers: number) {
  const memory = new WebAssembly.Memory({ initial: 4, maximum: 4, shared: true });
  const module = new WebAssembly.Module(Uint8Array.from(atob(SHARED_WASM), (c) => c.charCodeAt(0)));
  const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as Record<string, (...args: number[]) => void>;
  const threads = new ThreadPool(memory, module, WORKER_FNS, BOARD_AT);
  await threads.start(workers);
  const local = (args: readonly number[]) => kernels.unaryF32(...args);
  return { memory, threads, local };
}

/** A job negating x[0..n) in place, cut into `parts` chunks: a chunk run twice would undo its negation. */
function negate(n: number, parts: number) {
  return { fn: UNARY, chunks: ranges(n, parts, 4).map(([t0, t1]) => [NEG, DATA_AT + 4 * t0, DATA_AT + 4 * t0, t1 - t0]) };
}

describe('kernel worker board', () => {
  it('runs every chunk exactly once, job after job', async () => {
    const { memory, threads, local } = await pool(1);
    expect(threads.size).toBe(2);
    const x = new Float32Array(memory.buffer, DATA_AT, 4096);
    x.forEach((_, i) => (x[i] = i + 1));
    for (let job = 0; job < 500; job++) threads.run(negate(4 + 8 * (job % 500), 1 + (job % 16)), local);
    // element i was negated once per job whose range covered it
    const covered = (i: number) => Array.from({ length: 500 }, (_, job) => (i < 4 + 8 * (job % 500) ? 1 : 0) as number).reduce((a, b) => a + b, 0);
    for (const i of [0, 3, 4, 100, 1000, 2000, 3999]) expect(x[i]).toBe((covered(i) % 2 ? -1 : 1) * (i + 1));
  });

  it('a worker that wakes after the caller did every chunk, or receives a late notify, runs nothing', async () => {
    const { memory, threads, local } = await pool(1);
    const x = new Float32Array(memory.buffer, DATA_AT, 64);
    x.set(Array.from({ length: 64 }, (_, i) => i));
    threads.run(negate(64, 8), local);
    const after = Array.from(x);
    expect(after).toEqual(Array.from({ length: 64 }, (_, i) => -i));
    // a wake-up with no new job (as from a caller descheduled between its store and its notify)
    const board = new Int32Array(memory.buffer, BOARD_AT, BOARD_BYTES / 4);
    Atomics.store(board, BOARD.seq, Atomics.load(board, BOARD.seq) + 1000);
    Atomics.notify(board, BOARD.seq);
    await sleep(50);
    Atomics.notify(board, BOARD.seq);
    await sleep(50);
    expect(Array.from(x)).toEqual(after);
    // and the worker still serves real jobs
    threads.run(negate(64, 8), local);
    expect(Array.from(x)).toEqual(Array.from({ length: 64 }, (_, i) => i));
  });

  describe('with every core kept busy by other threads', () => {
    const hogs: Worker[] = [];
    beforeAll(() => {
      for (let i = 0; i < 2; i++) hogs.push(new Worker('for (;;);', { eval: true }));
    });
    afterAll(async () => {
      await Promise.all(hogs.map((w) => w.terminate()));
    });

    it('jobs still finish with the right values (the caller takes over chunks of a descheduled worker)', async () => {
      const { memory, threads, local } = await pool(1);
      const x = new Float32Array(memory.buffer, DATA_AT, 1024);
      x.forEach((_, i) => (x[i] = i + 1));
      for (let job = 0; job < 2000; job++) threads.run(negate(1024, 8), local);
      expect(Array.from(x)).toEqual(Array.from({ length: 1024 }, (_, i) => i + 1));
    });
  });
});
