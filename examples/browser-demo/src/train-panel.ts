// The train panel: backend line, loading bar, options, Start/Stop, live charts, throughput, Keras log.
import { byId, numberIn } from './dom.ts';
import { LineChart } from './line-chart.ts';
import type { Reply, Request } from './protocol.ts';

export class TrainPanel {
  private readonly backend = byId('backend', HTMLElement);
  private readonly loading = byId('loading', HTMLElement);
  private readonly loadingBar = byId('loading-progress', HTMLProgressElement);
  private readonly datasetInfo = byId('dataset-info', HTMLElement);
  private readonly start = byId('start', HTMLButtonElement);
  private readonly stop = byId('stop', HTMLButtonElement);
  private readonly throughput = byId('samples-per-second', HTMLOutputElement);
  private readonly testAccuracy = byId('test-accuracy', HTMLOutputElement);
  private readonly log = byId('progress-log', HTMLElement);
  private readonly loss = new LineChart(byId('loss-chart', HTMLCanvasElement), 'Training loss per batch', '#c0392b');
  private readonly accuracy = new LineChart(byId('accuracy-chart', HTMLCanvasElement), 'Training accuracy per batch', '#2471a3');

  constructor(send: (request: Request) => void) {
    byId('train-form', HTMLFormElement).addEventListener('submit', (event) => {
      event.preventDefault();
      this.setTraining(true);
      this.log.textContent = '';
      send({
        type: 'train',
        epochs: numberIn(byId('epochs', HTMLInputElement), 1),
        batchSize: numberIn(byId('batch-size', HTMLSelectElement), 128),
        learningRate: numberIn(byId('learning-rate', HTMLSelectElement), 0.001),
      });
    });
    this.stop.addEventListener('click', () => send({ type: 'stop' }));
  }

  private setTraining(training: boolean): void {
    this.start.disabled = training;
    this.stop.disabled = !training;
  }

  /** Handle the worker's replies that concern this panel. */
  receive(reply: Reply): void {
    switch (reply.type) {
      case 'loading':
        this.loadingBar.value = reply.fraction;
        break;
      case 'ready':
        this.loading.hidden = true;
        this.backend.textContent = `Backend: ${reply.backend} (${reply.adapter})`;
        this.backend.dataset.backend = reply.backend;
        this.datasetInfo.textContent = `MNIST: ${reply.trainCount.toLocaleString('en')} training and ${reply.testCount.toLocaleString('en')} test digits`;
        this.setTraining(false);
        break;
      case 'log':
        this.log.textContent += `${reply.line}\n`;
        break;
      case 'batch':
        this.loss.push(reply.step, reply.loss);
        this.accuracy.push(reply.step, reply.accuracy);
        this.throughput.value = reply.samplesPerSecond.toFixed(0);
        break;
      case 'trained':
        this.throughput.value = reply.samplesPerSecond.toFixed(0);
        this.testAccuracy.value = reply.testAccuracy.toFixed(4);
        this.setTraining(false);
        break;
      case 'error':
        this.log.textContent += `Error: ${reply.message}\n`;
        this.setTraining(false);
        break;
    }
  }
}
