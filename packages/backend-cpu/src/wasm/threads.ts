import { BOARD, BOARD_BYTES, CLOSED, MAX_ARGS, MAX_CHUNKS, MAX_THREADS, SPIN_LOADS, WORKER_SOURCE } from './worker-source.ts';

const CHUNKS_PER_THREAD = 4;

/** One job: kernel `fn` (an index into the pool's `fnNames`) over chunks, each its own i32 arguments. */
export interface Job {
  readonly fn: number;
  readonly chunks: readonly (readonly number[])[];
  /**
   * The argument each worker replaces by its own entry of `perThread` (per-thread scratch), if any; the
   * chunks carry the caller's own value (`perThread[0]`) there, so the caller runs them as they are.
   */
  readonly threadArg?: number;
  readonly perThread?: readonly number[];
}

/**
 * Kernel workers sharing the wasm memory, fed through one board (worker-source.ts). The caller posts a
 * job's chunks and claims them too, one at a time, as the workers do: when the other cores are busy and
 * a worker has not woken, the caller simply does that worker's share instead of waiting for it, and waits
 * only for chunks a worker has actually started. Workers start asynchronously and join as they report
 * ready; until then (and where workers cannot start) everything runs on the calling thread.
 */
export class ThreadPool {
  private readonly ready: boolean[] = [];
  private readonly board: Int32Array;
  private seq = 0;
  /** Browsers' main threads may not block in Atomics.wait; they spin instead. */
  private canBlock = true;

  constructor(private readonly memory: WebAssembly.Memory, private readonly module: WebAssembly.Module, private readonly fnNames: readonly string[], private readonly boardAt: number) {
    this.board = new Int32Array(memory.buffer, boardAt, BOARD_BYTES / 4);
  }

  /** Start `count` workers; resolves when all have answered. */
  async start(count: number): Promise<void> {
    if (this.ready.length + count + 1 > MAX_THREADS) throw new Error(`cpu backend: at most ${MAX_THREADS - 1} kernel workers`);
    const started = Array.from({ length: count }, async () => {
      const w = this.ready.push(false) - 1;
      await spawn({ module: this.module, memory: this.memory, board: this.boardAt, thread: w + 1, fnNames: this.fnNames });
      this.ready[w] = true;
    });
    // A worker that cannot start is simply never used.
    await Promise.allSettled(started);
  }

  /** Threads available now, the caller's included. */
  get size(): number {
    return 1 + this.ready.filter(Boolean).length;
  }

  /**
   * Chunks to cut a large job into: a few per thread, so that a thread that starts late (its core busy
   * with another process) leaves only small pieces for the others to take over or wait for.
   */
  get parts(): number {
    return this.size === 1 ? 1 : Math.min(MAX_CHUNKS, CHUNKS_PER_THREAD * this.size);
  }

  /** Run every chunk of `job` (on this thread via `local`, and on workers), returning when all are done. */
  run(job: Job, local: (args: readonly number[]) => void): void {
    const { chunks } = job;
    if (chunks.length <= 1 || this.size === 1) {
      for (const args of chunks) local(args);
      return;
    }
    if (chunks.length > MAX_CHUNKS) throw new Error(`cpu backend: a job has at most ${MAX_CHUNKS} chunks, got ${chunks.length}`);
    const b = this.board;
    Atomics.store(b, BOARD.claim, CLOSED);
    b[BOARD.count] = chunks.length;
    b[BOARD.finished] = 0;
    b[BOARD.fn] = job.fn;
    b[BOARD.threadArg] = job.threadArg ?? -1;
    if (job.perThread) b.set(job.perThread, BOARD.perThread);
    chunks.forEach((args, i) => {
      if (args.length > MAX_ARGS) throw new Error(`cpu backend: a chunk takes at most ${MAX_ARGS} arguments, got ${args.length}`);
      b.set(args, BOARD.chunks + i * MAX_ARGS);
    });
    Atomics.store(b, BOARD.claim, 0);
    Atomics.store(b, BOARD.seq, ++this.seq);
    Atomics.notify(b, BOARD.seq);
    for (let i = Atomics.load(b, BOARD.claim); i < chunks.length; i = Atomics.load(b, BOARD.claim)) {
      if (Atomics.compareExchange(b, BOARD.claim, i, i + 1) !== i) continue;
      local(chunks[i]);
      Atomics.add(b, BOARD.finished, 1);
    }
    this.waitFinished(chunks.length);
  }

  /** Spins first (a worker's chunk usually ends about when ours does), then sleeps. */
  private waitFinished(count: number): void {
    const b = this.board;
    for (let spin = 0; spin < SPIN_LOADS && Atomics.load(b, BOARD.finished) !== count; spin++);
    for (let done = Atomics.load(b, BOARD.finished); done !== count; done = Atomics.load(b, BOARD.finished)) {
      if (!this.canBlock) continue;
      try {
        Atomics.wait(b, BOARD.finished, done);
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
  /** Byte offset of the board; `thread` is the worker's index among the threads (the caller is 0). */
  readonly board: number;
  readonly thread: number;
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
