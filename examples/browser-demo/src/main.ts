// The page: training and prediction run in a worker (the book's networks on the CPU backend or WebGPU);
// the geometry and gradient-descent panels run tiny tensors on the main thread's CPU backend, where a GPU
// round trip would cost more than the math. Any error (a bad URL parameter, a backend that fails, a
// failed load) is shown in the page's error box, and the other panels keep working.
//
// URL parameters (see url-params.ts): `train`, `test` (how many digits), `backend=cpu|webgpu`, `seed=N`,
// `model=mlp|convnet`.
import { setBackend } from '@strata/layers';
import { DescentPanel } from './descent-panel.ts';
import { byId } from './dom.ts';
import { FiltersPanel } from './filters-panel.ts';
import { GeometryPanel } from './geometry-panel.ts';
import { PredictPanel } from './predict-panel.ts';
import type { BackendName, Reply, Request } from './protocol.ts';
import { TrainPanel } from './train-panel.ts';
import { parseOptions } from './url-params.ts';

const errorBox = byId('errors', HTMLElement);

/** Show a problem in the page (and in the console for developers). */
function report(where: string, error: unknown): void {
  const message = `${where}: ${error instanceof Error ? error.message : String(error)}`;
  console.warn(`strata demo: ${message}`);
  const item = document.createElement('li');
  item.textContent = message;
  errorBox.querySelector('ul')!.append(item);
  errorBox.hidden = false;
}

/** Start a panel; if it throws, say so and carry on with the others. */
function start(name: string, create: () => void): void {
  try {
    create();
  } catch (err) {
    report(name, err);
  }
}

const { options, errors } = parseOptions(new URL(location.href).searchParams);
for (const message of errors) report('Page address', message);

let worker: Worker | undefined;
let train: TrainPanel | undefined;
let predict: PredictPanel | undefined;
let filters: FiltersPanel | undefined;

/** A fresh worker on `backend` (undefined: the automatic choice); the previous one, if any, is ended. */
function startWorker(backend: BackendName | undefined): void {
  worker?.terminate();
  const current = new Worker(new URL('worker.js', import.meta.url), { type: 'module' });
  worker = current;
  const send = (request: Request): void => current.postMessage(request);
  current.onmessage = (event: MessageEvent<Reply>) => {
    const reply = event.data;
    if (reply.type === 'error') report('Training worker', reply.message);
    train?.receive(reply);
    predict?.receive(reply);
    filters?.receive(reply);
  };
  current.onerror = (event) => report('Training worker failed to start', event.message || 'no details');
  train?.connect(send, backend);
  predict?.connect(send);
  filters?.clear('Starting…');
  send({ type: 'init', trainCount: options.trainCount, testCount: options.testCount, backend, seed: options.seed, model: train?.model ?? options.model });
}

start('Train panel', () => {
  train = new TrainPanel(startWorker);
  byId('model-kind', HTMLSelectElement).value = options.model;
});
start('Predict panel', () => { predict = new PredictPanel(() => {}); });
start('Filters panel', () => { filters = new FiltersPanel(); });
start('Training worker', () => startWorker(options.backend));

try {
  await setBackend('cpu');
  start('Geometry panel', () => new GeometryPanel());
  start('Gradient descent panel', () => new DescentPanel());
} catch (err) {
  report('CPU backend for the geometry and descent panels', err);
}
