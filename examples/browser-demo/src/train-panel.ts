// The train panel: which backend runs and why (with a switch), the model choice, loading bar, options,
// Start/Stop, the live Keras progress line, charts, throughput, and the finished Keras log lines.
import { byId, numberIn } from './dom.ts';
import { LineChart } from './line-chart.ts';
import { describeModel } from './model-state.ts';
import { BACKEND_NAMES, MODEL_KINDS, type BackendName, type ModelKind, type Reply, type Request } from './protocol.ts';

const isBackend = (v: string): v is BackendName => (BACKEND_NAMES as readonly string[]).includes(v);
const isModel = (v: string): v is ModelKind => (MODEL_KINDS as readonly string[]).includes(v);

export class TrainPanel {
  private readonly backend = byId('backend', HTMLElement);
  private readonly backendWhy = byId('backend-why', HTMLElement);
  private readonly backendSwitch = byId('backend-switch', HTMLSelectElement);
  private readonly modelKind = byId('model-kind', HTMLSelectElement);
  private readonly modelState = byId('model-state', HTMLElement);
  private readonly loading = byId('loading', HTMLElement);
  private readonly loadingBar = byId('loading-progress', HTMLProgressElement);
  private readonly datasetInfo = byId('dataset-info', HTMLElement);
  private readonly start = byId('start', HTMLButtonElement);
  private readonly stop = byId('stop', HTMLButtonElement);
  private readonly throughput = byId('samples-per-second', HTMLOutputElement);
  private readonly testAccuracy = byId('test-accuracy', HTMLOutputElement);
  private readonly epochCounter = byId('epoch-counter', HTMLElement);
  private readonly live = byId('progress-live', HTMLElement);
  private readonly log = byId('progress-log', HTMLElement);
  private readonly loss = new LineChart(byId('loss-chart', HTMLCanvasElement), { name: 'loss', color: '#c0392b' });
  private readonly accuracy = new LineChart(byId('accuracy-chart', HTMLCanvasElement), { name: 'accuracy', color: '#2471a3', range: [0, 1] });
  private send: (request: Request) => void = () => {};
  /** Whether the current worker has its data and model (Start makes sense). */
  private started = false;

  /** `onBackend` restarts the worker on the backend picked in the switch. */
  constructor(onBackend: (name: BackendName) => void) {
    byId('train-form', HTMLFormElement).addEventListener('submit', (event) => {
      event.preventDefault();
      this.setTraining(true);
      this.live.textContent = '';
      this.send({
        type: 'train',
        epochs: numberIn(byId('epochs', HTMLInputElement), 1),
        batchSize: numberIn(byId('batch-size', HTMLSelectElement), 128),
        learningRate: numberIn(byId('learning-rate', HTMLSelectElement), 0.001),
        validationSplit: byId('validation', HTMLInputElement).checked ? 0.1 : 0,
      });
    });
    this.stop.addEventListener('click', () => this.send({ type: 'stop' }));
    this.backendSwitch.addEventListener('change', () => { if (isBackend(this.backendSwitch.value)) onBackend(this.backendSwitch.value); });
    this.modelKind.addEventListener('change', () => {
      if (!isModel(this.modelKind.value)) return;
      this.setBusy();
      this.send({ type: 'model', model: this.modelKind.value });
    });
  }

  /** The model picked in the page (the worker starts with it). */
  get model(): ModelKind {
    return isModel(this.modelKind.value) ? this.modelKind.value : 'mlp';
  }

  /** A new worker: everything goes back to its "starting" state. */
  connect(send: (request: Request) => void, backend: BackendName | undefined): void {
    this.send = send;
    this.started = false;
    this.setBusy();
    this.loading.hidden = false;
    this.backend.textContent = backend ? `Starting the ${backend} backend…` : 'Choosing a backend…';
    delete this.backend.dataset.backend;
    this.backendWhy.textContent = '';
  }

  private setBusy(): void {
    for (const control of [this.start, this.stop, this.backendSwitch, this.modelKind]) control.disabled = true;
  }

  private setTraining(training: boolean): void {
    this.start.disabled = training;
    this.stop.disabled = !training;
    this.backendSwitch.disabled = training;
    this.modelKind.disabled = training;
  }

  private newModel(): void {
    this.loss.reset();
    this.accuracy.reset();
    this.log.textContent = '';
    this.live.textContent = '';
    this.epochCounter.textContent = '';
    this.throughput.value = '–';
    this.testAccuracy.value = '–';
  }

  /** Handle the worker's replies that concern this panel. */
  receive(reply: Reply): void {
    switch (reply.type) {
      case 'loading':
        this.loadingBar.value = reply.fraction;
        break;
      case 'ready':
        this.loading.hidden = true;
        this.started = true;
        this.backend.textContent = `Backend: ${reply.backend} (${reply.adapter})`;
        this.backend.dataset.backend = reply.backend;
        this.backendWhy.textContent = `Why: ${reply.choice}.`;
        this.backendSwitch.value = reply.backend;
        this.datasetInfo.textContent = `MNIST: ${reply.trainCount.toLocaleString('en')} training and ${reply.testCount.toLocaleString('en')} test digits`;
        break;
      case 'model':
        this.newModel();
        this.modelKind.value = reply.state.kind;
        this.modelState.textContent = `Model: ${describeModel(reply.state)}.`;
        this.modelState.dataset.epochs = '0';
        this.setTraining(false);
        break;
      case 'log':
        this.log.textContent += `${reply.line}\n`;
        if (!reply.line.startsWith('Epoch ')) this.live.textContent = '';
        break;
      case 'progress':
        this.epochCounter.textContent = reply.epoch;
        this.live.textContent = reply.line;
        break;
      case 'batch':
        this.loss.push(reply.step, reply.loss);
        this.accuracy.push(reply.step, reply.accuracy);
        this.throughput.value = reply.samplesPerSecond.toFixed(0);
        break;
      case 'epoch':
        this.loss.epochEnd(reply.step, reply.logs.loss, reply.logs.val_loss);
        this.accuracy.epochEnd(reply.step, reply.logs.accuracy, reply.logs.val_accuracy);
        this.modelState.textContent = `Model: ${describeModel(reply.state)} (training…).`;
        break;
      case 'trained':
        this.throughput.value = reply.samplesPerSecond.toFixed(0);
        this.testAccuracy.value = reply.testAccuracy.toFixed(4);
        this.modelState.textContent = `Model: ${describeModel(reply.state)}; test accuracy ${reply.testAccuracy.toFixed(4)}.`;
        this.modelState.dataset.epochs = String(reply.state.epochs);
        this.live.textContent = '';
        this.setTraining(false);
        break;
      case 'error':
        this.live.textContent = '';
        if (this.started) this.setTraining(false);
        else this.backendSwitch.disabled = false; // the worker did not start: another backend may
        break;
    }
  }
}
