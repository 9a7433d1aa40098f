/**
 * The kernel worker, as source text so that it needs no file of its own: Node runs it with
 * `new Worker(src, { eval: true })`, browsers from a Blob URL, and bundlers never have to find it.
 * It instantiates the kernels on the shared memory, then serves jobs posted on the board (one block of
 * the shared memory, laid out by BOARD): wait for `seq` to change, then claim chunks of the job one at a
 * time until none is left, counting each one it finishes.
 * It spins for a while before sleeping: a training step posts its next job within microseconds, and
 * waking a thread that sleeps in Atomics.wait takes tens of them.
 */
export const SPIN_LOADS = 1 << 15;

/** Most threads (the caller and its workers) and most chunks per job. */
export const MAX_THREADS = 16;
export const MAX_CHUNKS = 64;
/** Most i32 arguments of one chunk. */
export const MAX_ARGS = 20;

/**
 * Int32 slots of the board. `claim` is the index of the next unclaimed chunk (CLOSED while a job is being
 * written); `finished` counts finished chunks; `threadArg` is the index of the argument that each thread
 * replaces by its own value from `perThread` (the gemm's packing scratch), -1 for none.
 */
export const BOARD = {
  seq: 0, claim: 1, count: 2, finished: 3, fn: 4, threadArg: 5, perThread: 6,
  chunks: 6 + MAX_THREADS,
} as const;
export const CLOSED = 0x7fffffff;
export const BOARD_BYTES = 4 * (BOARD.chunks + MAX_CHUNKS * MAX_ARGS);

// Races closed here (each made training hang or compute garbage on a loaded 2-core machine):
// - `seen` is read before answering 'ready': the pool may post a job as soon as the answer arrives, and a
//   job posted before that read would look already seen.
// - A wake-up is not a job: the caller stores `seq` and then notifies, and a worker may see the new `seq`,
//   serve the job, sleep again and only then receive that notify. It sleeps until `seq` really changes.
// - A worker that wakes late (descheduled while the caller did every chunk itself) finds nothing to claim:
//   chunks are taken by compare-and-swap on `claim`, which the caller sets to CLOSED before it rewrites
//   the board for the next job, so no chunk runs twice and none with another job's arguments.
export const WORKER_SOURCE = `
function serve({ module, memory, board, thread, fnNames }, reply) {
  const { exports } = new WebAssembly.Instance(module, { env: { memory } });
  const fns = fnNames.map((name) => exports[name]);
  const b = new Int32Array(memory.buffer, board, ${BOARD_BYTES / 4});
  const args = new Array(${MAX_ARGS}).fill(0);
  let seen = Atomics.load(b, ${BOARD.seq});
  reply('ready');
  for (;;) {
    for (let spin = 0; spin < ${SPIN_LOADS} && Atomics.load(b, ${BOARD.seq}) === seen; spin++);
    while (Atomics.load(b, ${BOARD.seq}) === seen) Atomics.wait(b, ${BOARD.seq}, seen);
    seen = Atomics.load(b, ${BOARD.seq});
    for (;;) {
      const i = Atomics.load(b, ${BOARD.claim});
      const count = b[${BOARD.count}];
      if (i >= count) break;
      if (Atomics.compareExchange(b, ${BOARD.claim}, i, i + 1) !== i) continue;
      // from a successful claim until this chunk is counted the board holds its job: read it again
      const total = b[${BOARD.count}];
      const fn = fns[b[${BOARD.fn}]];
      const at = ${BOARD.chunks} + i * ${MAX_ARGS};
      for (let a = 0; a < fn.length; a++) args[a] = b[at + a];
      const threadArg = b[${BOARD.threadArg}];
      if (threadArg >= 0) args[threadArg] = b[${BOARD.perThread} + thread];
      fn(...args);
      if (Atomics.add(b, ${BOARD.finished}, 1) + 1 === total) Atomics.notify(b, ${BOARD.finished});
    }
  }
}
if (typeof require === 'function') {
  const { parentPort } = require('node:worker_threads');
  parentPort.once('message', (init) => serve(init, (m) => parentPort.postMessage(m)));
} else {
  self.onmessage = (event) => serve(event.data, (m) => self.postMessage(m));
}
`;
