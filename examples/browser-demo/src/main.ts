// The page: training and prediction run in a worker (the book's network on WebGPU, or the CPU backend
// when the browser has no WebGPU); the geometry and gradient-descent panels run tiny tensors on the
// main thread's CPU backend, where a GPU round trip would cost more than the math.
//
// URL parameters (for quick runs and the end-to-end test): `train` and `test` limit how many MNIST
// digits are used (default all), `backend=cpu|webgpu` skips the automatic choice, `seed=N` makes the
// training run repeat exactly (the initial weights and the batch order; see `setRandomSeed`).
import { setBackend } from '@strata/layers';
import { DescentPanel } from './descent-panel.ts';
import { GeometryPanel } from './geometry-panel.ts';
import { PredictPanel } from './predict-panel.ts';
import type { Reply, Request } from './protocol.ts';
import { TrainPanel } from './train-panel.ts';

const BACKENDS = ['cpu', 'webgpu'] as const;

function countParam(params: URLSearchParams, name: string, fallback: number): number {
  const text = params.get(name);
  if (text === null) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`URL parameter ${name}=${text}: expected a positive integer`);
  return n;
}

function seedParam(params: URLSearchParams): number | undefined {
  const text = params.get('seed');
  if (text === null) return undefined;
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n)) throw new Error(`URL parameter seed=${text}: expected an integer`);
  return n;
}

function backendParam(params: URLSearchParams): (typeof BACKENDS)[number] | undefined {
  const text = params.get('backend');
  const found = BACKENDS.find((b) => b === text);
  if (text !== null && !found) throw new Error(`URL parameter backend=${text}: expected one of ${BACKENDS.join(', ')}`);
  return found;
}

const params = new URL(location.href).searchParams;
const worker = new Worker(new URL('worker.js', import.meta.url), { type: 'module' });
const send = (request: Request): void => worker.postMessage(request);
const train = new TrainPanel(send);
const predict = new PredictPanel(send);

worker.onmessage = (event: MessageEvent<Reply>) => {
  const reply = event.data;
  if (reply.type === 'error') console.error(`strata worker: ${reply.message}`);
  train.receive(reply);
  predict.receive(reply);
};
worker.onerror = (event) => console.error(`strata worker failed to start: ${event.message}`);
send({ type: 'init', trainCount: countParam(params, 'train', 60_000), testCount: countParam(params, 'test', 10_000), backend: backendParam(params), seed: seedParam(params) });

await setBackend('cpu');
new GeometryPanel();
new DescentPanel();
