/**
 * The kernel worker, as source text so that it needs no file of its own: Node runs it with
 * `new Worker(src, { eval: true })`, browsers from a Blob URL, and bundlers never have to find it.
 * It instantiates the kernels on the shared memory, then serves jobs posted through its control block
 * (see CONTROL in threads.ts): wait for `seq` to change, call `fns[fn](...args)`, publish `done = seq`.
 * It spins for a while before sleeping: a training step posts its next job within microseconds, and
 * waking a thread that sleeps in Atomics.wait takes tens of them.
 */
export const SPIN_LOADS = 1 << 15;

export const WORKER_SOURCE = `
function serve({ module, memory, control, fnNames }, reply) {
  const { exports } = new WebAssembly.Instance(module, { env: { memory } });
  const fns = fnNames.map((name) => exports[name]);
  const ctrl = new Int32Array(memory.buffer, control, 32);
  reply('ready');
  for (let seen = Atomics.load(ctrl, 0); ; ) {
    for (let spin = 0; spin < ${SPIN_LOADS} && Atomics.load(ctrl, 0) === seen; spin++);
    Atomics.wait(ctrl, 0, seen);
    seen = Atomics.load(ctrl, 0);
    const fn = fns[ctrl[2]];
    fn(...ctrl.subarray(3, 3 + fn.length));
    Atomics.store(ctrl, 1, seen);
    Atomics.notify(ctrl, 1);
  }
}
if (typeof require === 'function') {
  const { parentPort } = require('node:worker_threads');
  parentPort.once('message', (init) => serve(init, (m) => parentPort.postMessage(m)));
} else {
  self.onmessage = (event) => serve(event.data, (m) => self.postMessage(m));
}
`;
