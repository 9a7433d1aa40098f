// The training worker: owns the backend, the data and the model, so the page stays responsive while
// the book's network trains. WebGPU is reached through `navigator.gpu`, which workers have too.
import { argmax, ready, setBackend, setRandomSeed, slice, tensor, tidy, type Backend, type Logs, type Sequential, type Tensor } from '@strata/layers';
import { bookNetwork, prepare } from '../../mnist-mlp/book.ts';
import { MNIST_BYTES, fetchSplit } from './mnist-files.ts';
import { PIXELS, type GridDigit, type Reply, type Request } from './protocol.ts';

/** How many test digits the predict panel shows with their guesses. */
const GRID_SIZE = 40;

interface Session {
  readonly model: Sequential;
  readonly train: { x: Tensor; y: Tensor };
  readonly test: { x: Tensor; y: Tensor };
  readonly gridPixels: Uint8Array;
  readonly gridLabels: Uint8Array;
}

const scope = self as unknown as { postMessage(message: Reply): void; onmessage: ((event: MessageEvent<Request>) => void) | null };
const post = (message: Reply): void => scope.postMessage(message);
let session: Session | undefined;

/** What the page shows beside the backend's name: the GPU adapter, or why WebGPU was not used. */
async function adapterDescription(backend: Backend): Promise<string> {
  const adapter = await navigator.gpu?.requestAdapter();
  if (backend.name !== 'webgpu') {
    const why = !navigator.gpu ? 'this browser has no navigator.gpu' : adapter ? 'chosen by the URL' : 'navigator.gpu offers no adapter';
    return `WebAssembly SIMD kernels; WebGPU not used: ${why}`;
  }
  const info = adapter?.info;
  const text = [info?.vendor, info?.architecture, info?.device, info?.description].filter(Boolean).join(' · ');
  return text || 'adapter details hidden by the browser';
}

async function init(request: Extract<Request, { type: 'init' }>): Promise<Session> {
  const backend = request.backend ? await setBackend(request.backend) : await ready({ quiet: true });
  if (request.seed !== undefined) setRandomSeed(request.seed);
  let loaded = 0;
  const onBytes = (n: number): void => post({ type: 'loading', fraction: (loaded += n) / MNIST_BYTES });
  const [trainSplit, testSplit] = await Promise.all([fetchSplit('train', request.trainCount, onBytes), fetchSplit('test', request.testCount, onBytes)]);
  const grid = Math.min(GRID_SIZE, testSplit[1].values.length);
  const created: Session = {
    model: bookNetwork(),
    train: prepare(trainSplit),
    test: prepare(testSplit),
    gridPixels: testSplit[0].values.slice(0, grid * PIXELS),
    gridLabels: testSplit[1].values.slice(0, grid),
  };
  post({ type: 'ready', backend: backend.name, adapter: await adapterDescription(backend), trainCount: trainSplit[1].values.length, testCount: testSplit[1].values.length });
  return created;
}

async function postGrid({ model, test, gridPixels, gridLabels }: Session): Promise<void> {
  const guesses = tidy(() => argmax(model.predict(slice(test.x, [{ start: 0, stop: gridLabels.length }])), -1));
  const values = await guesses.data();
  guesses.dispose();
  const digits: GridDigit[] = Array.from(gridLabels, (label, i) => ({ pixels: gridPixels.subarray(i * PIXELS, (i + 1) * PIXELS), label, guess: values[i] }));
  post({ type: 'grid', digits });
}

async function train(s: Session, { epochs, batchSize, learningRate }: Extract<Request, { type: 'train' }>): Promise<void> {
  s.model.optimizer.learningRate = learningRate;
  const started = performance.now();
  let samples = 0;
  let lastLoss: number | undefined;
  const samplesPerSecond = (): number => samples / ((performance.now() - started) / 1000);
  // The running epoch means arrive with fit's asynchronous read-backs (about every 100 ms), not with
  // every batch: chart each new reading at the batch it arrived with, and the exact epoch-end values.
  const chart = (logs: Logs): void => {
    if (logs.loss === undefined || logs.loss === lastLoss) return;
    lastLoss = logs.loss;
    post({ type: 'batch', step: s.model.optimizer.iterations, loss: logs.loss, accuracy: logs.accuracy, samplesPerSecond: samplesPerSecond() });
  };
  const callbacks = [{ onBatchEnd: (_batch: number, logs: Logs) => { samples += logs.size; chart(logs); }, onEpochEnd: (_epoch: number, logs: Logs) => chart(logs) }];
  await s.model.fit(s.train.x, s.train.y, { epochs, batchSize, callbacks, log: (line) => post({ type: 'log', line }) });
  const rate = samplesPerSecond(); // fit's last read-back waited for the device, so this is wall time
  const [, testAccuracy] = await s.model.evaluate(s.test.x, s.test.y, { verbose: 0, batchSize: 500 });
  post({ type: 'trained', samplesPerSecond: rate, testAccuracy });
  await postGrid(s);
}

async function predict(s: Session, pixels: Float32Array): Promise<void> {
  const probabilities = tidy(() => s.model.predict(tensor(pixels, [1, PIXELS])));
  const values = await probabilities.data();
  probabilities.dispose();
  post({ type: 'prediction', probabilities: Array.from(values) });
}

async function handle(request: Request): Promise<void> {
  if (request.type === 'init') {
    session = await init(request);
    await postGrid(session);
    return;
  }
  if (!session) throw new Error(`worker: '${request.type}' arrived before 'init' finished`);
  if (request.type === 'train') await train(session, request);
  else if (request.type === 'stop') session.model.stopTraining = true;
  else await predict(session, request.pixels);
}

scope.onmessage = (event) => {
  handle(event.data).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
};
