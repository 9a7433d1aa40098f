import { describe, expect, it } from 'vitest';
import { SHARED_WASM } from '../src/wasm/kernels.generated.ts';
import { UNARY_WASM_OPS } from '../src/wasm/ops.ts';
import { WORKER_FNS } from '../src/wasm/runtime.ts';
import { ThreadPool } from '../src/wasm/threads.ts';
import { CONTROL, CONTROL_BYTES } from '../src/wasm/worker-source.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits (without blocking the event loop) until the worker has published `done = seq`. */
async function doneWith(ctrl: Int32Array, seq: number): Promise<void> {
  const start = Date.now();
  while (Atomics.load(ctrl, CONTROL.done) !== seq) {
    if (Date.now() - start > 10_000) throw new Error(`the worker did not finish job ${seq}`);
    await sleep(2);
  }
}

describe('kernel worker protocol', () => {
  it('a late notify does not make a worker run its last job again', async () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const pool = new ThreadPool(memory, new WebAssembly.Module(Uint8Array.from(atob(SHARED_WASM), (c) => c.charCodeAt(0))), WORKER_FNS);
    await pool.start(1, CONTROL_BYTES);
    expect(pool.size).toBe(2);
    const ctrl = new Int32Array(memory.buffer, CONTROL_BYTES, CONTROL_BYTES / 4);
    const at = 4096;
    const x = new Float32Array(memory.buffer, at, 4);
    x.set([1.5, -2, 3, 0.25]);
    // A post as the pool makes it (seq -1: one the pool, counting up from 1, never uses).
    ctrl[CONTROL.fn] = WORKER_FNS.indexOf('unaryF32');
    ctrl.set([UNARY_WASM_OPS.indexOf('neg'), at, at, 4], CONTROL.args);
    Atomics.store(ctrl, CONTROL.seq, -1);
    Atomics.notify(ctrl, CONTROL.seq);
    await doneWith(ctrl, -1);
    expect(Array.from(x)).toEqual([-1.5, 2, -3, -0.25]);
    // A caller descheduled between its store and its notify delivers the notify only now, when the worker
    // has run the job and gone back to sleep (past its spin).
    await sleep(50);
    Atomics.notify(ctrl, CONTROL.seq);
    await sleep(50);
    // Run again, the in-place negation would have undone itself.
    expect(Array.from(x)).toEqual([-1.5, 2, -3, -0.25]);
    // The worker still serves real jobs.
    pool.run([{ fn: WORKER_FNS.indexOf('unaryF32'), args: [0, 0, 0, 0] }, { fn: WORKER_FNS.indexOf('unaryF32'), args: [UNARY_WASM_OPS.indexOf('neg'), at, at, 4] }], () => {});
    expect(Array.from(x)).toEqual([1.5, -2, 3, 0.25]);
  });
});
