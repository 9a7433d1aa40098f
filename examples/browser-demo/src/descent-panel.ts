// The gradient-descent panel: three balls on the same loss surface, each a Strata Variable moved by a
// Strata optimizer (SGD, SGD with momentum, RMSprop) from the gradient that valueAndGrad computes.
import { Optimizer, RMSprop, SGD, Variable, reshape, tensor, tidy, valueAndGrad } from '@strata/layers';
import { byId } from './dom.ts';
import { START, X_RANGE, Y_RANGE, lossAt } from './loss-surface.ts';

const STEPS = 300;
const GRID = [96, 64] as const; // heat-map cells across and down

interface Ball {
  readonly label: string;
  readonly color: string;
  readonly make: () => Optimizer;
  optimizer: Optimizer;
  position: Variable;
  trail: [number, number][];
  loss: number;
}

function ball(label: string, color: string, make: () => Optimizer): Ball {
  return { label, color, make, optimizer: make(), position: new Variable(tensor(START), `ball_${label}`), trail: [START], loss: NaN };
}

export class DescentPanel {
  private readonly canvas = byId('descent-canvas', HTMLCanvasElement);
  private readonly legend = byId('descent-legend', HTMLUListElement);
  private readonly balls = [
    ball('SGD', '#c0392b', () => new SGD({ learningRate: 0.05 })),
    ball('SGD + momentum 0.9', '#27ae60', () => new SGD({ learningRate: 0.05, momentum: 0.9 })),
    ball('RMSprop', '#8e44ad', () => new RMSprop({ learningRate: 0.05 })),
  ];
  private readonly surface: ImageData;
  private step = 0;
  private frame = 0;

  constructor() {
    this.surface = this.paintSurface();
    byId('descent-run', HTMLButtonElement).addEventListener('click', () => { this.frame ||= requestAnimationFrame(() => this.tick()); });
    byId('descent-reset', HTMLButtonElement).addEventListener('click', () => this.reset());
    this.reset();
  }

  private reset(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.step = 0;
    for (const b of this.balls) {
      b.position.dispose();
      b.position = new Variable(tensor(START), `ball_${b.label}`);
      b.optimizer = b.make();
      b.trail = [START];
      b.loss = tidy(() => lossAt(reshape(b.position, [1, 2])).dataSync()[0]);
    }
    this.draw();
  }

  /** One optimizer step per ball per animation frame. */
  private tick(): void {
    for (const b of this.balls) {
      b.loss = tidy(() => {
        const { value, grads } = valueAndGrad(() => lossAt(reshape(b.position, [1, 2])), [b.position]);
        b.optimizer.applyGradients([[grads[0], b.position]]);
        return value.dataSync()[0];
      });
      const [x, y] = b.position.dataSync();
      b.trail.push([x, y]);
    }
    this.step++;
    this.draw();
    this.frame = this.step < STEPS ? requestAnimationFrame(() => this.tick()) : 0;
  }

  private toCanvas([x, y]: [number, number]): [number, number] {
    const { width, height } = this.canvas;
    return [((x - X_RANGE[0]) / (X_RANGE[1] - X_RANGE[0])) * width, ((Y_RANGE[1] - y) / (Y_RANGE[1] - Y_RANGE[0])) * height];
  }

  /** The loss on a grid of points (one Strata call), as a heat map scaled to the canvas. */
  private paintSurface(): ImageData {
    const [cols, rows] = GRID;
    const values = tidy(() => {
      const points = Array.from({ length: cols * rows }, (_, i) => [
        X_RANGE[0] + ((i % cols) + 0.5) * ((X_RANGE[1] - X_RANGE[0]) / cols),
        Y_RANGE[1] - (Math.floor(i / cols) + 0.5) * ((Y_RANGE[1] - Y_RANGE[0]) / rows),
      ]);
      return lossAt(tensor(points)).dataSync();
    });
    const top = Math.max(...values);
    const { width, height } = this.canvas;
    const image = new ImageData(width, height);
    for (let py = 0; py < height; py++) {
      for (let px = 0; px < width; px++) {
        const v = Math.sqrt(values[Math.floor((py * rows) / height) * cols + Math.floor((px * cols) / width)] / top);
        image.data.set([255 * (0.95 - 0.55 * v), 255 * (0.97 - 0.5 * v), 255 * (0.9 - 0.2 * v), 255], (py * width + px) * 4);
      }
    }
    return image;
  }

  private draw(): void {
    const ctx = this.canvas.getContext('2d')!;
    ctx.putImageData(this.surface, 0, 0);
    this.balls.forEach((b, i) => {
      ctx.strokeStyle = b.color;
      ctx.fillStyle = b.color;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      b.trail.forEach((p, i) => (i ? ctx.lineTo(...this.toCanvas(p)) : ctx.moveTo(...this.toCanvas(p))));
      ctx.stroke();
      ctx.beginPath();
      ctx.arc(...this.toCanvas(b.trail[b.trail.length - 1]), 8 - 2 * i, 0, 2 * Math.PI); // smaller on top: balls that stop together stay visible
      ctx.fill();
    });
    this.canvas.dataset.step = String(this.step);
    this.legend.replaceChildren(...this.balls.map((b) => {
      const item = document.createElement('li');
      item.style.color = b.color;
      item.dataset.loss = String(b.loss);
      item.textContent = `● ${b.label}: loss ${b.loss.toFixed(4)} after ${this.step} steps`;
      return item;
    }));
  }
}
