// The gradient-descent panel: three balls on the same loss surface, each a Strata Variable moved by a
// Strata optimizer (SGD, SGD with momentum, RMSprop) from the gradient that valueAndGrad computes. The
// learning rate, momentum and RMSprop's rho are knobs; a click on the surface sets the start point.
import { Optimizer, RMSprop, SGD, Variable, reshape, tensor, tidy, valueAndGrad } from '@strata/layers';
import { byId, numberIn } from './dom.ts';
import { SURFACES, type Surface, type SurfaceName } from './loss-surface.ts';

const STEPS = 300;
const STEPS_PER_FRAME = 2;
const GRID = [120, 60] as const; // heat-map cells across and down
const SCALE_WIDTH = 70; // the colour scale, right of the surface

type Marker = 'circle' | 'square' | 'triangle';

interface Ball {
  readonly label: string;
  readonly color: string;
  readonly marker: Marker;
  readonly make: () => Optimizer;
  optimizer: Optimizer;
  position: Variable;
  trail: [number, number][];
  loss: number;
}

/** Light (low loss) to dark (high), for loss fraction `t` in [0, 1] (square-root scaled). */
function shade(t: number): [number, number, number] {
  const v = Math.sqrt(Math.min(1, Math.max(0, t)));
  return [255 * (0.97 - 0.6 * v), 255 * (0.98 - 0.5 * v), 255 * (0.88 - 0.15 * v)];
}

function drawMarker(ctx: CanvasRenderingContext2D, marker: Marker, [x, y]: [number, number], r: number): void {
  ctx.beginPath();
  if (marker === 'circle') ctx.arc(x, y, r, 0, 2 * Math.PI);
  else if (marker === 'square') ctx.rect(x - r, y - r, 2 * r, 2 * r);
  else { ctx.moveTo(x, y - r * 1.2); ctx.lineTo(x + r * 1.1, y + r * 0.8); ctx.lineTo(x - r * 1.1, y + r * 0.8); ctx.closePath(); }
  ctx.fill();
  ctx.stroke();
}

export class DescentPanel {
  private readonly canvas = byId('descent-canvas', HTMLCanvasElement);
  private readonly legend = byId('descent-legend', HTMLUListElement);
  private readonly story = byId('descent-story', HTMLElement);
  private readonly surfaceSelect = byId('descent-surface', HTMLSelectElement);
  private readonly learningRate = byId('descent-lr', HTMLInputElement);
  private readonly momentum = byId('descent-momentum', HTMLInputElement);
  private readonly rho = byId('descent-rho', HTMLInputElement);
  private readonly balls: Ball[];
  private surface: Surface = SURFACES.ripples;
  private start: [number, number] = [...SURFACES.ripples.start];
  private image!: ImageData;
  private range: [number, number] = [0, 1];
  private step = 0;
  private frame = 0;

  constructor() {
    const lr = (): number => numberIn(this.learningRate, 0.05);
    this.balls = [
      this.ball('SGD', '#c0392b', 'circle', () => new SGD({ learningRate: lr() })),
      this.ball('SGD + momentum', '#1e8449', 'square', () => new SGD({ learningRate: lr(), momentum: numberIn(this.momentum, 0.9) })),
      this.ball('RMSprop', '#7d3c98', 'triangle', () => new RMSprop({ learningRate: lr(), rho: numberIn(this.rho, 0.9) })),
    ];
    byId('descent-run', HTMLButtonElement).addEventListener('click', () => { this.frame ||= requestAnimationFrame(() => this.tick()); });
    byId('descent-reset', HTMLButtonElement).addEventListener('click', () => this.reset());
    for (const knob of [this.learningRate, this.momentum, this.rho]) knob.addEventListener('change', () => this.reset());
    this.surfaceSelect.addEventListener('change', () => this.useSurface());
    this.canvas.addEventListener('click', (event) => this.placeStart(event));
    this.useSurface();
  }

  private ball(label: string, color: string, marker: Marker, make: () => Optimizer): Ball {
    return { label, color, marker, make, optimizer: make(), position: new Variable(tensor([...this.start]), `ball_${marker}`), trail: [], loss: NaN };
  }

  private get plotWidth(): number {
    return this.canvas.width - SCALE_WIDTH;
  }

  private useSurface(): void {
    const name = this.surfaceSelect.value as SurfaceName;
    this.surface = SURFACES[name] ?? SURFACES.ripples;
    this.start = [...this.surface.start];
    this.story.textContent = this.surface.story;
    this.image = this.paintSurface();
    this.reset();
  }

  /** A click on the surface: the balls start there. */
  private placeStart(event: MouseEvent): void {
    const rect = this.canvas.getBoundingClientRect();
    const px = ((event.clientX - rect.left) * this.canvas.width) / rect.width;
    const py = ((event.clientY - rect.top) * this.canvas.height) / rect.height;
    if (px > this.plotWidth) return;
    const { xRange, yRange } = this.surface;
    this.start = [xRange[0] + (px / this.plotWidth) * (xRange[1] - xRange[0]), yRange[1] - (py / this.canvas.height) * (yRange[1] - yRange[0])];
    this.reset();
  }

  private reset(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.step = 0;
    for (const b of this.balls) {
      b.position.dispose();
      b.position = new Variable(tensor([...this.start]), `ball_${b.marker}`);
      b.optimizer = b.make();
      b.trail = [[...this.start]];
      b.loss = tidy(() => this.surface.lossAt(reshape(b.position, [1, 2])).dataSync()[0]);
    }
    this.canvas.dataset.start = JSON.stringify(this.start);
    this.draw();
  }

  /** A few optimizer steps per ball per animation frame. */
  private tick(): void {
    for (let k = 0; k < STEPS_PER_FRAME && this.step < STEPS; k++, this.step++) {
      for (const b of this.balls) {
        b.loss = tidy(() => {
          const { value, grads } = valueAndGrad(() => this.surface.lossAt(reshape(b.position, [1, 2])), [b.position]);
          b.optimizer.applyGradients([[grads[0], b.position]]);
          return value.dataSync()[0];
        });
        const [x, y] = b.position.dataSync();
        b.trail.push([x, y]);
      }
    }
    this.draw();
    this.frame = this.step < STEPS ? requestAnimationFrame(() => this.tick()) : 0;
  }

  private toCanvas([x, y]: [number, number]): [number, number] {
    const { xRange, yRange } = this.surface;
    return [((x - xRange[0]) / (xRange[1] - xRange[0])) * this.plotWidth, ((yRange[1] - y) / (yRange[1] - yRange[0])) * this.canvas.height];
  }

  /** The loss on a grid of points (one Strata call), as a heat map scaled to the canvas, and its colour scale. */
  private paintSurface(): ImageData {
    const [cols, rows] = GRID;
    const { xRange, yRange } = this.surface;
    const values = tidy(() => {
      const points = Array.from({ length: cols * rows }, (_, i) => [
        xRange[0] + ((i % cols) + 0.5) * ((xRange[1] - xRange[0]) / cols),
        yRange[1] - (Math.floor(i / cols) + 0.5) * ((yRange[1] - yRange[0]) / rows),
      ]);
      return this.surface.lossAt(tensor(points)).dataSync();
    });
    const low = Math.min(...values);
    const high = Math.max(...values);
    this.range = [low, high];
    const { width, height } = this.canvas;
    const image = new ImageData(width, height);
    image.data.fill(255);
    for (let py = 0; py < height; py++) {
      for (let px = 0; px < this.plotWidth; px++) {
        const v = values[Math.floor((py * rows) / height) * cols + Math.floor((px * cols) / this.plotWidth)];
        image.data.set([...shade((v - low) / (high - low)), 255], (py * width + px) * 4);
      }
      const t = 1 - py / height; // the scale bar: high loss at the top
      for (let px = this.plotWidth + 12; px < this.plotWidth + 30; px++) image.data.set([...shade(t), 255], (py * width + px) * 4);
    }
    return image;
  }

  private drawAxes(ctx: CanvasRenderingContext2D): void {
    const { xRange, yRange } = this.surface;
    const height = this.canvas.height;
    ctx.fillStyle = '#333';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    for (let x = Math.ceil(xRange[0]); x <= xRange[1]; x++) {
      const [px] = this.toCanvas([x, 0]);
      ctx.fillRect(px, height - 5, 1, 5);
      if (x > xRange[0] && x < xRange[1]) ctx.fillText(`x=${x}`, px, height - 8);
    }
    ctx.textAlign = 'left';
    for (let y = Math.ceil(yRange[0]); y <= yRange[1]; y++) {
      const [, py] = this.toCanvas([0, y]);
      ctx.fillRect(0, py, 5, 1);
      if (y > yRange[0] && y < yRange[1]) ctx.fillText(`y=${y}`, 7, py + 4);
    }
    // the colour scale's labels
    const [low, high] = this.range;
    const labelX = this.plotWidth + 33;
    ctx.fillText(high.toFixed(1), labelX, 11);
    ctx.fillText(low.toFixed(2), labelX, height - 3);
    ctx.save();
    ctx.translate(this.plotWidth + 8, height / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText('loss', 0, 0);
    ctx.restore();
  }

  private draw(): void {
    const ctx = this.canvas.getContext('2d')!;
    ctx.putImageData(this.image, 0, 0);
    this.drawAxes(ctx);
    // the start point: a cross
    const [sx, sy] = this.toCanvas(this.start);
    ctx.strokeStyle = '#000';
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.moveTo(sx - 7, sy - 7); ctx.lineTo(sx + 7, sy + 7);
    ctx.moveTo(sx + 7, sy - 7); ctx.lineTo(sx - 7, sy + 7);
    ctx.stroke();
    for (const b of this.balls) {
      ctx.strokeStyle = b.color;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      b.trail.forEach((p, i) => (i ? ctx.lineTo(...this.toCanvas(p)) : ctx.moveTo(...this.toCanvas(p))));
      ctx.stroke();
    }
    // markers of different shapes and sizes, the largest first: balls that stop together all stay visible
    this.balls.forEach((b, i) => {
      ctx.fillStyle = b.color;
      ctx.strokeStyle = '#fff';
      ctx.lineWidth = 1.5;
      drawMarker(ctx, b.marker, this.toCanvas(b.trail[b.trail.length - 1]), 9 - 2 * i);
    });
    this.canvas.dataset.step = String(this.step);
    this.legend.replaceChildren(...this.balls.map((b) => {
      const item = document.createElement('li');
      const [x, y] = b.trail[b.trail.length - 1];
      item.style.color = b.color;
      item.dataset.loss = String(b.loss);
      item.dataset.position = JSON.stringify([x, y]);
      const symbol = { circle: '●', square: '■', triangle: '▲' }[b.marker];
      item.textContent = `${symbol} ${b.label}: loss ${b.loss.toFixed(4)} at (${x.toFixed(2)}, ${y.toFixed(2)}) after ${this.step} steps`;
      return item;
    }));
  }
}
