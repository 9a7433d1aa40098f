// The training worker: owns the backend, the data and the model, so the page stays responsive while
// the book's networks train. WebGPU is reached through `navigator.gpu`, which workers have too.
import {
  argmax, ready, reshape, setBackend, setRandomSeed, slice, tensor, tidy, transpose,
  type Backend, type Layer, type Logs, type Sequential, type Tensor,
} from '@strata/layers';
import { bookNetwork, prepare } from '../../mnist-mlp/book.ts';
import { bookConvnet } from '../../mnist-mlp/convnet.ts';
import { MNIST_BYTES, fetchSplit } from './mnist-files.ts';
import { progressLine } from './progress-line.ts';
import { PIXELS, SIDE, type BackendName, type GridDigit, type ImageStack, type ModelKind, type ModelState, type Reply, type Request } from './protocol.ts';

/** How many test digits the predict panel shows with their guesses. */
const GRID_SIZE = 40;
/** The in-place line is sent at most this often (Keras's Progbar redraws at most every 50 ms too). */
const PROGRESS_MS = 50;

interface Split {
  /** The MLP's input and labels: [n, 784] pixels, one-hot [n, 10] (categorical cross-entropy). */
  readonly x: Tensor;
  readonly y: Tensor;
  /** The convnet's: `x` as [n, 28, 28, 1] images, class indices [n] (sparse categorical cross-entropy). */
  readonly images: Tensor;
  readonly labels: Tensor;
}

interface Session {
  model: Sequential;
  state: ModelState;
  readonly train: Split;
  readonly test: Split;
  readonly gridPixels: Uint8Array;
  readonly gridLabels: Uint8Array;
  /** The last drawn digit, for the convnet's feature maps. */
  drawn?: Float32Array;
}

const scope = self as unknown as { postMessage(message: Reply): void; onmessage: ((event: MessageEvent<Request>) => void) | null };
const post = (message: Reply): void => scope.postMessage(message);
let session: Session | undefined;

/** The backend asked for, or `ready()`'s choice with its one line saying which and why. */
async function chooseBackend(asked: BackendName | undefined): Promise<{ backend: Backend; choice: string }> {
  if (asked) return { backend: await setBackend(asked), choice: `using the ${asked} backend, as asked` };
  let choice = '';
  const backend = await ready({ log: (line) => { choice = line.replace(/^strata: /, ''); } });
  return { backend, choice };
}

/** What the page shows beside the backend's name: the GPU adapter (software fallback or not), or the CPU's kernels. */
async function adapterDescription(backend: Backend): Promise<string> {
  if (backend.name !== 'webgpu') return 'WebAssembly SIMD kernels on this CPU';
  const info = (await navigator.gpu.requestAdapter())?.info as (GPUAdapterInfo & { isFallbackAdapter?: boolean }) | undefined;
  const text = [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' · ') || 'adapter details hidden by the browser';
  return info?.isFallbackAdapter || /swiftshader/i.test(text) ? `${text}: a software fallback, slower than the CPU backend` : text;
}

function split(raw: Parameters<typeof prepare>[0]): Split {
  const { x, y } = prepare(raw);
  return { x, y, images: reshape(x, [x.shape[0], SIDE, SIDE, 1]), labels: tensor(raw[1].values, raw[1].shape, 'int32') };
}

function newModel(kind: ModelKind): Sequential {
  return kind === 'convnet' ? bookConvnet() : bookNetwork();
}

const inputs = (s: Session, data: Split): Tensor => (s.state.kind === 'convnet' ? data.images : data.x);
const targets = (s: Session, data: Split): Tensor => (s.state.kind === 'convnet' ? data.labels : data.y);

async function init(request: Extract<Request, { type: 'init' }>): Promise<Session> {
  const { backend, choice } = await chooseBackend(request.backend);
  if (request.seed !== undefined) setRandomSeed(request.seed);
  let loaded = 0;
  const onBytes = (n: number): void => post({ type: 'loading', fraction: (loaded += n) / MNIST_BYTES });
  const [trainSplit, testSplit] = await Promise.all([fetchSplit('train', request.trainCount, onBytes), fetchSplit('test', request.testCount, onBytes)]);
  const grid = Math.min(GRID_SIZE, testSplit[1].values.length);
  const created: Session = {
    model: newModel(request.model),
    state: { kind: request.model, epochs: 0 },
    train: split(trainSplit),
    test: split(testSplit),
    gridPixels: testSplit[0].values.slice(0, grid * PIXELS),
    gridLabels: testSplit[1].values.slice(0, grid),
  };
  post({ type: 'ready', backend: backend.name === 'webgpu' ? 'webgpu' : 'cpu', choice, adapter: await adapterDescription(backend), trainCount: trainSplit[1].values.length, testCount: testSplit[1].values.length });
  return created;
}

async function postGrid(s: Session): Promise<void> {
  const { model, test, gridPixels, gridLabels } = s;
  const guesses = tidy(() => argmax(model.predict(slice(inputs(s, test), [{ start: 0, stop: gridLabels.length }])), -1));
  const values = await guesses.data();
  guesses.dispose();
  const digits: GridDigit[] = Array.from(gridLabels, (label, i) => ({ pixels: gridPixels.subarray(i * PIXELS, (i + 1) * PIXELS), label, guess: values[i] }));
  post({ type: 'grid', digits, state: s.state });
}

/** Values scaled into [0, 1] over the whole stack (one scale, so the images compare). */
function stack(values: Float32Array, width: number, height: number, count: number): ImageStack {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) { low = Math.min(low, v); high = Math.max(high, v); }
  return { width, height, count, values: values.map((v) => (v - low) / (high - low || 1)) };
}

/** The convnet's first Conv2D: its kernels ([3, 3, 1, filters] → one 3×3 image each) and its maps of the drawn digit. */
async function postFilters(s: Session): Promise<void> {
  const conv: Layer | undefined = s.state.kind === 'convnet' ? s.model.layers.find((l) => l.className === 'Conv2D') : undefined;
  if (!conv) return;
  const [kh, kw, , filters] = conv.weights[0].shape;
  const kernels = tidy(() => transpose(reshape(conv.weights[0], [kh * kw, filters]), [1, 0]));
  const kernelValues = (await kernels.data()) as Float32Array;
  kernels.dispose();
  let maps: ImageStack | undefined;
  if (s.drawn) {
    const drawn = s.drawn;
    const out = tidy(() => {
      const y = conv.apply(tensor(drawn, [1, SIDE, SIDE, 1])) as Tensor; // [1, h, w, filters]
      return transpose(reshape(y, [y.shape[1] * y.shape[2], filters]), [1, 0]);
    });
    const side = Math.round(Math.sqrt(out.shape[1]));
    maps = stack((await out.data()) as Float32Array, side, side, filters);
    out.dispose();
  }
  post({ type: 'filters', kernels: stack(kernelValues, kw, kh, filters), maps, state: s.state });
}

async function setModel(s: Session, kind: ModelKind): Promise<void> {
  s.model.dispose();
  s.model = newModel(kind);
  s.state = { kind, epochs: 0 };
  post({ type: 'model', state: s.state });
  await postGrid(s);
  await postFilters(s);
}

async function train(s: Session, { epochs, batchSize, learningRate, validationSplit }: Extract<Request, { type: 'train' }>): Promise<void> {
  s.model.optimizer.learningRate = learningRate;
  const x = inputs(s, s.train);
  let steps = 0; // fit's steps per epoch, from its callback params
  const started = performance.now();
  let epochStarted = started;
  let epochLabel = '';
  let lastProgress = 0;
  let samples = 0;
  let lastLoss: number | undefined;
  const samplesPerSecond = (): number => samples / ((performance.now() - started) / 1000);
  // The running epoch means arrive with fit's asynchronous read-backs (about every 100 ms), not with
  // every batch: chart each new reading at the batch it arrived with.
  const chart = (logs: Logs): void => {
    if (logs.loss === undefined || logs.loss === lastLoss) return;
    lastLoss = logs.loss;
    post({ type: 'batch', step: s.model.optimizer.iterations, loss: logs.loss, accuracy: logs.accuracy, samplesPerSecond: samplesPerSecond() });
  };
  const progress = (batch: number, logs: Logs): void => {
    const now = performance.now();
    if (now - lastProgress < PROGRESS_MS && batch > 0) return;
    lastProgress = now;
    const { loss, accuracy } = logs;
    const means: Record<string, number> = loss === undefined ? {} : { loss, accuracy };
    post({ type: 'progress', epoch: epochLabel, line: progressLine(batch + 1, steps, (now - epochStarted) / 1000, means) });
  };
  const callbacks = [{
    setParams: (params: { steps: number }) => { steps = params.steps; },
    onEpochBegin: (epoch: number) => { epochStarted = performance.now(); epochLabel = `Epoch ${epoch + 1}/${epochs}`; },
    onBatchEnd: (batch: number, logs: Logs) => { samples += logs.size; chart(logs); progress(batch, logs); },
    onEpochEnd: (_epoch: number, logs: Logs) => {
      s.state = { kind: s.state.kind, epochs: s.state.epochs + 1 };
      post({ type: 'epoch', step: s.model.optimizer.iterations, logs: { ...logs }, state: s.state });
    },
  }];
  await s.model.fit(x, targets(s, s.train), { epochs, batchSize, validationSplit, callbacks, log: (line) => post({ type: 'log', line }) });
  const rate = samplesPerSecond(); // fit's last read-back waited for the device, so this is wall time
  const [, testAccuracy] = await s.model.evaluate(inputs(s, s.test), targets(s, s.test), { verbose: 0, batchSize: 500 });
  post({ type: 'trained', samplesPerSecond: rate, testAccuracy, state: s.state });
  await postGrid(s);
  await postFilters(s);
}

async function predict(s: Session, pixels: Float32Array): Promise<void> {
  s.drawn = pixels;
  const shape = s.state.kind === 'convnet' ? [1, SIDE, SIDE, 1] : [1, PIXELS];
  const probabilities = tidy(() => s.model.predict(tensor(pixels, shape)));
  const values = await probabilities.data();
  probabilities.dispose();
  post({ type: 'prediction', probabilities: Array.from(values), state: s.state });
  await postFilters(s);
}

async function handle(request: Request): Promise<void> {
  if (request.type === 'init') {
    session = await init(request);
    post({ type: 'model', state: session.state });
    await postGrid(session);
    await postFilters(session);
    return;
  }
  if (!session) throw new Error(`worker: '${request.type}' arrived before 'init' finished`);
  if (request.type === 'train') await train(session, request);
  else if (request.type === 'model') await setModel(session, request.model);
  else if (request.type === 'stop') session.model.stopTraining = true;
  else await predict(session, request.pixels);
}

scope.onmessage = (event) => {
  handle(event.data).catch((err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
};
