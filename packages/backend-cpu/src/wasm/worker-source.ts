/**
 * The kernel worker, as source text so that it needs no file of its own: Node runs it with
 * `new Worker(src, { eval: true })`, browsers from a Blob URL, and bundlers never have to find it.
 * It instantiates the kernels on the shared memory, then serves jobs posted through its control block:
 * wait for `seq` to change, call `fns[fn](...args)`, publish `done = seq`.
 * It spins for a while before sleeping: a training step posts its next job within microseconds, and
 * waking a thread that sleeps in Atomics.wait takes tens of them.
 */
export const SPIN_LOADS = 1 << 15;

/** Int32 slots of a worker's control block (inside the shared wasm memory). */
export const CONTROL = { seq: 0, done: 1, fn: 2, args: 3 } as const;
export const CONTROL_BYTES = 128;

// Two races are closed here; each made training hang or compute garbage on a loaded 2-core machine:
// - `seen` is read before answering 'ready': the pool may post a job as soon as the answer arrives, and a
//   job posted before that read would look already seen (never run; the caller would wait forever).
// - A wake-up is not a job: the caller stores `seq` and then notifies, and when it is descheduled in
//   between, the worker may see the new `seq`, run the job, go back to sleep, and only then receive that
//   notify. Acting on it would run the job again, with arguments the caller may be rewriting. So the
//   worker sleeps until `seq` really differs from the last one it ran.
export const WORKER_SOURCE = `
function serve({ module, memory, control, fnNames }, reply) {
  const { exports } = new WebAssembly.Instance(module, { env: { memory } });
  const fns = fnNames.map((name) => exports[name]);
  const ctrl = new Int32Array(memory.buffer, control, ${CONTROL_BYTES / 4});
  let seen = Atomics.load(ctrl, ${CONTROL.seq});
  reply('ready');
  for (;;) {
    for (let spin = 0; spin < ${SPIN_LOADS} && Atomics.load(ctrl, ${CONTROL.seq}) === seen; spin++);
    while (Atomics.load(ctrl, ${CONTROL.seq}) === seen) Atomics.wait(ctrl, ${CONTROL.seq}, seen);
    seen = Atomics.load(ctrl, ${CONTROL.seq});
    const fn = fns[ctrl[${CONTROL.fn}]];
    fn(...ctrl.subarray(${CONTROL.args}, ${CONTROL.args} + fn.length));
    Atomics.store(ctrl, ${CONTROL.done}, seen);
    Atomics.notify(ctrl, ${CONTROL.done});
  }
}
if (typeof require === 'function') {
  const { parentPort } = require('node:worker_threads');
  parentPort.once('message', (init) => serve(init, (m) => parentPort.postMessage(m)));
} else {
  self.onmessage = (event) => serve(event.data, (m) => self.postMessage(m));
}
`;
