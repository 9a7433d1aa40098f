/**
 * Ad-hoc profile (not a test): where a training step of the book's network (Dense 512 relu → Dense 10
 * softmax, RMSprop, batch 128) spends its time on this backend. Records the backend calls of a few steps,
 * then replays each distinct call (op and argument shapes) on fresh inputs, timed with a read, and prints
 * ms per step per call, largest first. Run (bundled where `webgpu` resolves):
 *   npx esbuild packages/backend-webgpu/bench/step-profile.ts --bundle --platform=node --format=esm \
 *     --outfile=packages/backend-webgpu/.bench.mjs && \
 *     VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json node packages/backend-webgpu/.bench.mjs
 */
import type { Backend, DataRef, TensorInfo } from '../../core/src/backend.ts';
import { Sequential, getBackend, layers, setBackend, tensor } from '../../layers/src/index.ts';

const STEPS = 3;
const REPS = 8;
const OPS = ['unary', 'binary', 'reduce', 'matmul', 'permute', 'slice', 'concat', 'gather', 'cast', 'fill', 'random', 'where', 'fused'] as const;
type OpName = (typeof OPS)[number];
type Call = { readonly op: OpName; readonly args: unknown[] };
type Op = (...args: unknown[]) => DataRef;

const isInfo = (v: unknown): v is TensorInfo => typeof v === 'object' && v !== null && 'ref' in v && 'shape' in v;
const signature = (call: Call) => `${call.op} ${JSON.stringify(call.args, (_, v: unknown) => (isInfo(v) ? `${v.dtype}[${v.shape.join(',')}]` : v))}`;

/** `arg` with every tensor in it replaced by a fresh upload of the same shape and dtype (floats ramp, integers 0). */
function fresh(backend: Backend, arg: unknown): unknown {
  if (isInfo(arg)) {
    const size = arg.shape.reduce((a, b) => a * b, 1);
    const values = arg.dtype === 'float32' ? Float32Array.from({ length: size }, (_, i) => (i % 97) / 97) : arg.dtype === 'int32' ? new Int32Array(size) : new Uint8Array(size);
    return { ...arg, ref: backend.upload(values, arg.shape, arg.dtype) };
  }
  if (Array.isArray(arg)) return arg.map((a) => fresh(backend, a));
  if (typeof arg === 'object' && arg !== null) return Object.fromEntries(Object.entries(arg).map(([k, v]) => [k, fresh(backend, v)]));
  return arg;
}

await setBackend('webgpu');
const backend = getBackend();
const ops = backend as unknown as Record<OpName, Op>;
const network = new Sequential([layers.dense({ units: 512, activation: 'relu', inputShape: [784] }), layers.dense({ units: 10, activation: 'softmax' })]);
network.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
const samples = 128 * STEPS;
const x = tensor(Float32Array.from({ length: samples * 784 }, (_, i) => (i % 255) / 255), [samples, 784], 'float32');
const y = tensor(Float32Array.from({ length: samples * 10 }, (_, i) => Number(i % 10 === 3)), [samples, 10], 'float32');
const fit = () => network.fit(x, y, { epochs: 1, batchSize: 128, shuffle: false, verbose: 0 });
await fit(); // compiles the pipelines

const calls: Call[] = [];
const originals = OPS.map((op) => [op, ops[op].bind(backend)] as const);
for (const [op, run] of originals) ops[op] = (...args) => (calls.push({ op, args }), run(...args));
const start = performance.now();
await fit();
const stepMs = (performance.now() - start) / STEPS;
for (const [op, run] of originals) ops[op] = run;

const counts = new Map<string, { call: Call; count: number }>();
for (const call of calls) {
  const key = signature(call);
  const seen = counts.get(key);
  if (seen) seen.count++;
  else counts.set(key, { call, count: 1 });
}
const rows: { perStep: number; line: string }[] = [];
for (const [key, { call, count }] of counts) {
  const args = call.args.map((a) => fresh(backend, a));
  const run = () => ops[call.op](...args);
  const settle = (ref: DataRef) => backend.read({ ref, shape: [1], dtype: 'float32' });
  await settle(run());
  const t0 = performance.now();
  let last = run();
  for (let i = 1; i < REPS; i++) {
    backend.release(last);
    last = run();
  }
  await settle(last);
  const ms = (performance.now() - t0) / REPS;
  rows.push({ perStep: (ms * count) / STEPS, line: `${ms.toFixed(2)} ms × ${(count / STEPS).toFixed(2)}  ${key}` });
}
rows.sort((a, b) => b.perStep - a.perStep);
const replayed = rows.reduce((a, r) => a + r.perStep, 0);
console.log(`step ${stepMs.toFixed(1)} ms, ${(calls.length / STEPS).toFixed(1)} backend calls per step; replayed calls sum to ${replayed.toFixed(1)} ms`);
for (const r of rows) console.log(`${r.perStep.toFixed(2).padStart(8)} ms/step  ${r.line}`);
process.exit(0);
