import { CONTROL, CONTROL_BYTES, SPIN_LOADS, WORKER_SOURCE } from './worker-source.ts';

const MAX_ARGS = CONTROL_BYTES / 4 - CONTROL.args;

/** One call of an exported kernel: its index in the pool's `fnNames` and its i32 arguments. */
export interface Job {
  readonly fn: number;
  readonly args: readonly number[];
}

interface WorkerHandle {
  readonly ctrl: Int32Array;
  ready: boolean;
}

/**
 * Kernel workers sharing the wasm memory. Workers start asynchronously and join as they report ready;
 * until then (and where workers cannot start) `run` does all the work on the calling thread.
 */
export class ThreadPool {
  private readonly workers: WorkerHandle[] = [];
  private seq = 0;
  /** Browsers' main threads may not block in Atomics.wait; they spin instead. */
  private canBlock = true;

  constructor(private readonly memory: WebAssembly.Memory, private readonly module: WebAssembly.Module, private readonly fnNames: readonly string[]) {}

  /** Start `count` workers whose control blocks begin at byte `control` (CONTROL_BYTES each); resolves when all have answered. */
  async start(count: number, control: number): Promise<void> {
    const started = Array.from({ length: count }, async (_, w) => {
      const at = control + w * CONTROL_BYTES;
      const handle: WorkerHandle = { ctrl: new Int32Array(this.memory.buffer, at, CONTROL_BYTES / 4), ready: false };
      this.workers.push(handle);
      await spawn({ module: this.module, memory: this.memory, control: at, fnNames: this.fnNames });
      handle.ready = true;
    });
    // A worker that cannot start is simply never used.
    await Promise.allSettled(started);
  }

  /** Threads available now, the caller's included. */
  get size(): number {
    return 1 + this.workers.filter((w) => w.ready).length;
  }

  /** Run jobs[0] on this thread and the rest on ready workers (at most `size` jobs), returning when all are done. */
  run(jobs: readonly Job[], local: (job: Job) => void): void {
    if (jobs.length === 0) return;
    const busy = this.workers.filter((w) => w.ready).slice(0, jobs.length - 1);
    if (busy.length !== jobs.length - 1) throw new Error(`cpu backend: ${jobs.length} jobs for ${busy.length + 1} threads`);
    const seq = ++this.seq;
    busy.forEach((w, i) => {
      const { fn, args } = jobs[i + 1];
      if (args.length > MAX_ARGS) throw new Error(`cpu backend: a job takes at most ${MAX_ARGS} arguments, got ${args.length}`);
      w.ctrl[CONTROL.fn] = fn;
      w.ctrl.set(args, CONTROL.args);
      Atomics.store(w.ctrl, CONTROL.seq, seq);
      Atomics.notify(w.ctrl, CONTROL.seq);
    });
    local(jobs[0]);
    for (const w of busy) this.waitDone(w.ctrl, seq);
  }

  /** Spins first (the worker's share usually ends about when ours does), then sleeps. */
  private waitDone(ctrl: Int32Array, seq: number): void {
    for (let spin = 0; spin < SPIN_LOADS && Atomics.load(ctrl, CONTROL.done) !== seq; spin++);
    for (let done = Atomics.load(ctrl, CONTROL.done); done !== seq; done = Atomics.load(ctrl, CONTROL.done)) {
      if (!this.canBlock) continue;
      try {
        Atomics.wait(ctrl, CONTROL.done, done);
      } catch {
        this.canBlock = false;
      }
    }
  }
}

/** [start, end) ranges cutting 0..total into at most `parts` pieces on multiples of `unit`. */
export function ranges(total: number, parts: number, unit: number): [number, number][] {
  const step = Math.max(unit, Math.ceil(total / parts / unit) * unit);
  const out: [number, number][] = [];
  for (let s = 0; s < total; s += step) out.push([s, Math.min(total, s + step)]);
  return out;
}

interface WorkerInit {
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  readonly control: number;
  readonly fnNames: readonly string[];
}

/** A Web Worker, or a Node worker_threads Worker (imported lazily: no top-level node: import); resolves when it is ready. */
async function spawn(init: WorkerInit): Promise<void> {
  if (typeof Worker === 'function' && typeof Blob === 'function' && typeof process === 'undefined') {
    const worker = new Worker(URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' })));
    const ready = new Promise<void>((resolve, reject) => {
      worker.onmessage = () => resolve();
      worker.onerror = (event) => reject(new Error(event.message));
    });
    worker.postMessage(init);
    return ready;
  }
  const specifier = 'node:worker_threads'; // a variable, so browser bundlers leave it alone
  const { Worker: NodeWorker } = (await import(/* @vite-ignore */ specifier)) as typeof import('node:worker_threads');
  const worker = new NodeWorker(WORKER_SOURCE, { eval: true });
  worker.unref(); // idle kernel workers must not keep the process alive
  const ready = new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  worker.postMessage(init);
  return ready;
}

/** Cores to use: the machine's logical processors (Node: os.availableParallelism). */
export async function hardwareThreads(): Promise<number> {
  if (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) return navigator.hardwareConcurrency;
  const specifier = 'node:os';
  const os = (await import(/* @vite-ignore */ specifier)) as typeof import('node:os');
  return os.availableParallelism();
}
