// The predict panel: a drawing canvas (pointer events: mouse, touch and pen), the preprocessed 28×28
// input, the 10 class probabilities as bars, and a grid of test digits with the model's guesses.
import { byId } from './dom.ts';
import { paintDigit } from './digit-image.ts';
import { toMnistInput } from './preprocess.ts';
import { describeModel } from './model-state.ts';
import type { GridDigit, ModelState, Reply, Request } from './protocol.ts';

const STROKE_WIDTH = 20;

export class PredictPanel {
  private readonly draw = byId('draw', HTMLCanvasElement);
  private readonly ink = this.draw.getContext('2d', { willReadFrequently: true })!;
  private readonly preprocessed = byId('preprocessed', HTMLCanvasElement);
  private readonly prediction = byId('prediction', HTMLOutputElement);
  private readonly bars = byId('probabilities', HTMLOListElement);
  private readonly grid = byId('test-grid', HTMLUListElement);
  private readonly gridState = byId('grid-state', HTMLElement);
  private readonly predictionNote = byId('prediction-note', HTMLElement);
  private last: { x: number; y: number } | undefined;

  constructor(private send: (request: Request) => void) {
    this.clear();
    this.draw.addEventListener('pointerdown', (e) => {
      this.draw.setPointerCapture(e.pointerId);
      this.last = this.point(e);
      this.stroke(this.last);
    });
    this.draw.addEventListener('pointermove', (e) => {
      if (this.last) this.stroke(this.point(e));
    });
    const end = (): void => {
      if (!this.last) return;
      this.last = undefined;
      this.predict();
    };
    this.draw.addEventListener('pointerup', end);
    this.draw.addEventListener('pointercancel', end);
    byId('clear', HTMLButtonElement).addEventListener('click', () => this.clear());
  }

  private clear(): void {
    this.ink.fillStyle = '#000';
    this.ink.fillRect(0, 0, this.draw.width, this.draw.height);
    paintDigit(this.preprocessed, () => 0);
    this.prediction.value = '–';
    this.predictionNote.textContent = '';
    this.bars.replaceChildren();
  }

  /** A new worker: predictions go to it. */
  connect(send: (request: Request) => void): void {
    this.send = send;
    this.grid.replaceChildren();
    this.gridState.textContent = 'Waiting for the model…';
  }

  private point(e: PointerEvent): { x: number; y: number } {
    const rect = this.draw.getBoundingClientRect();
    return { x: ((e.clientX - rect.left) * this.draw.width) / rect.width, y: ((e.clientY - rect.top) * this.draw.height) / rect.height };
  }

  private stroke(to: { x: number; y: number }): void {
    const from = this.last ?? to;
    Object.assign(this.ink, { strokeStyle: '#fff', lineWidth: STROKE_WIDTH, lineCap: 'round', lineJoin: 'round' });
    this.ink.beginPath();
    this.ink.moveTo(from.x, from.y);
    this.ink.lineTo(to.x, to.y);
    this.ink.stroke();
    this.last = to;
  }

  private predict(): void {
    const { width, height } = this.draw;
    const rgba = this.ink.getImageData(0, 0, width, height).data;
    const values = new Float32Array(width * height);
    for (let i = 0; i < values.length; i++) values[i] = rgba[i * 4] / 255;
    const input = toMnistInput({ width, height, values });
    if (!input) return;
    paintDigit(this.preprocessed, (i) => input[i]);
    this.send({ type: 'predict', pixels: input });
  }

  private showProbabilities(probabilities: number[], state: ModelState): void {
    const best = probabilities.indexOf(Math.max(...probabilities));
    this.prediction.value = String(best);
    this.predictionNote.textContent = state.epochs === 0 ? 'The model is untrained: this guess comes from random weights. Train it first (Start, above).' : '';
    this.predictionNote.dataset.untrained = String(state.epochs === 0);
    this.bars.replaceChildren(...probabilities.map((p, digit) => {
      const item = document.createElement('li');
      item.dataset.probability = String(p);
      item.setAttribute('aria-label', `${digit}: ${(100 * p).toFixed(1)}%`);
      item.classList.toggle('best', digit === best);
      const bar = document.createElement('span');
      bar.className = 'bar';
      bar.style.width = `${(100 * p).toFixed(1)}%`;
      const text = document.createElement('span');
      text.textContent = `${digit}  ${(100 * p).toFixed(1)}%`;
      item.append(bar, text);
      return item;
    }));
  }

  private showGrid(digits: GridDigit[], state: ModelState): void {
    const untrained = state.epochs === 0;
    const right = digits.filter((d) => d.guess === d.label).length;
    this.grid.classList.toggle('untrained', untrained);
    this.grid.dataset.untrained = String(untrained);
    this.gridState.textContent = untrained
      ? `Guesses of ${describeModel(state)}: ${right} of ${digits.length} right. Wrong guesses get marked once it has trained.`
      : `Guesses of ${describeModel(state)}: ${right} of ${digits.length} right; wrong ones are marked ✗.`;
    this.grid.replaceChildren(...digits.map(({ pixels, label, guess }) => {
      const item = document.createElement('li');
      const wrong = guess !== label && !untrained;
      item.classList.toggle('wrong', wrong);
      item.setAttribute('aria-label', `test digit ${label}, guessed ${guess}${guess !== label ? ' (wrong)' : ''}`);
      const canvas = document.createElement('canvas');
      paintDigit(canvas, (i) => pixels[i] / 255);
      const caption = document.createElement('span');
      caption.textContent = wrong ? `${guess} ✗` : String(guess);
      item.append(canvas, caption);
      return item;
    }));
  }

  receive(reply: Reply): void {
    if (reply.type === 'prediction') this.showProbabilities(reply.probabilities, reply.state);
    else if (reply.type === 'grid') this.showGrid(reply.digits, reply.state);
  }
}
