// A line chart of a training metric against the training step, on a canvas sized to its card: the
// running epoch mean as it is read back, the epoch-end values of the validation split (`val_`) when there
// is one, labelled axes, gridlines and a dashed mark at each epoch's end. Before the first reading it
// says the model is untrained. Drawing happens at most once per animation frame, so charting never holds
// up the worker's messages. The latest summary is kept in the canvas's aria-label (for screen readers)
// and data-* attributes (for the end-to-end test).

const MARGIN = { left: 52, right: 12, top: 34, bottom: 40 };
const X_LABEL = 'training step (batches)';

interface Point {
  readonly step: number;
  readonly value: number;
}

export interface ChartStyle {
  /** The metric's name, the y axis title. */
  readonly name: string;
  readonly color: string;
  /** A fixed value range (accuracy: [0, 1]); otherwise from 0 (or the lowest value) to the highest. */
  readonly range?: readonly [number, number];
}

/** About `count` round tick values covering [low, high]. */
function ticks(low: number, high: number, count: number): number[] {
  const raw = (high - low) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * magnitude).find((s) => s >= raw) ?? raw;
  const values: number[] = [];
  for (let v = Math.ceil(low / step) * step; v <= high + step * 1e-9; v += step) values.push(Number(v.toPrecision(12)));
  return values;
}

export class LineChart {
  private train: Point[] = [];
  private val: Point[] = [];
  private epochs: number[] = [];
  private frame = 0;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly style: ChartStyle) {
    canvas.dataset.xLabel = X_LABEL;
    canvas.dataset.yLabel = style.name;
    new ResizeObserver(() => this.schedule()).observe(canvas);
    this.reset();
  }

  /** Forget every point: a new model, untrained. */
  reset(): void {
    this.train = [];
    this.val = [];
    this.epochs = [];
    this.summarize();
  }

  /** A reading of the running epoch mean at `step`. */
  push(step: number, value: number): void {
    this.train.push({ step, value });
    this.summarize();
  }

  /** An epoch ended at `step`; `validation` is its `val_` value when there is a validation split. */
  epochEnd(step: number, value: number, validation: number | undefined): void {
    this.epochs.push(step);
    if (this.train[this.train.length - 1]?.step !== step) this.train.push({ step, value });
    if (validation !== undefined) this.val.push({ step, value: validation });
    this.summarize();
  }

  private summarize(): void {
    const { canvas, train, val } = this;
    const last = train[train.length - 1];
    canvas.dataset.state = last ? 'training' : 'untrained';
    canvas.dataset.count = String(train.length);
    canvas.dataset.valCount = String(val.length);
    canvas.dataset.epochMarks = String(this.epochs.length);
    if (last) {
      canvas.dataset.first = String(train[0].value);
      canvas.dataset.last = String(last.value);
    }
    const valText = val.length ? `, validation ${val[val.length - 1].value.toFixed(4)}` : '';
    canvas.setAttribute('aria-label', last
      ? `${this.style.name} against ${X_LABEL}: ${train.length} readings up to step ${last.step}, first ${train[0].value.toFixed(4)}, latest ${last.value.toFixed(4)}${valText}; ${this.epochs.length} epochs`
      : `${this.style.name}: the model is untrained; the curve starts when training does`);
    this.schedule();
  }

  private schedule(): void {
    this.frame ||= requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = 0;
    const { canvas, style, train, val } = this;
    const scale = devicePixelRatio || 1;
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    if (canvas.width !== Math.round(width * scale)) canvas.width = Math.round(width * scale); // (a resize clears and reallocates)
    if (canvas.height !== Math.round(height * scale)) canvas.height = Math.round(height * scale);
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(scale, 0, 0, scale, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = '12px system-ui, sans-serif';
    const values = [...train, ...val].map((p) => p.value);
    const [low, high] = style.range ?? (values.length ? [Math.min(0, ...values), Math.max(...values) * 1.05] : [0, 1]);
    const lastStep = Math.max(1, ...train.map((p) => p.step));
    const plotW = width - MARGIN.left - MARGIN.right;
    const plotH = height - MARGIN.top - MARGIN.bottom;
    const x = (step: number): number => MARGIN.left + (plotW * step) / lastStep;
    const y = (v: number): number => MARGIN.top + (plotH * (high - v)) / (high - low || 1);

    // gridlines and tick labels
    ctx.strokeStyle = '#e4e4e4';
    ctx.fillStyle = '#555';
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    for (const v of ticks(low, high, 4)) {
      ctx.beginPath(); ctx.moveTo(MARGIN.left, y(v)); ctx.lineTo(width - MARGIN.right, y(v)); ctx.stroke();
      ctx.fillText(String(v), MARGIN.left - 6, y(v) + 4);
    }
    ctx.textAlign = 'center';
    for (const step of ticks(0, lastStep, 5)) {
      ctx.beginPath(); ctx.moveTo(x(step), MARGIN.top); ctx.lineTo(x(step), MARGIN.top + plotH); ctx.stroke();
      ctx.fillText(String(step), x(step), MARGIN.top + plotH + 15);
    }
    ctx.strokeStyle = '#999';
    ctx.strokeRect(MARGIN.left, MARGIN.top, plotW, plotH);
    // axis titles
    ctx.fillStyle = '#333';
    ctx.fillText(X_LABEL, MARGIN.left + plotW / 2, height - 6);
    ctx.save();
    ctx.translate(13, MARGIN.top + plotH / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(style.name, 0, 0);
    ctx.restore();

    if (!train.length) {
      ctx.fillStyle = '#888';
      ctx.font = '15px system-ui, sans-serif';
      ctx.fillText('untrained: the curve starts when you press Start', MARGIN.left + plotW / 2, MARGIN.top + plotH / 2);
      return;
    }
    // epoch marks
    ctx.setLineDash([4, 4]);
    ctx.strokeStyle = '#aaa';
    ctx.fillStyle = '#777';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'right';
    this.epochs.forEach((step, i) => {
      ctx.beginPath(); ctx.moveTo(x(step), MARGIN.top); ctx.lineTo(x(step), MARGIN.top + plotH); ctx.stroke();
      ctx.fillText(`end of epoch ${i + 1}`, x(step) - 3, MARGIN.top - 4);
    });
    ctx.setLineDash([]);
    this.line(ctx, train, x, y, style.color, []);
    this.line(ctx, val, x, y, '#e67e22', [6, 3]);
    // legend, above the plot
    ctx.textAlign = 'left';
    ctx.font = '12px system-ui, sans-serif';
    ctx.fillStyle = style.color;
    const trainKey = `— ${style.name} (training)`;
    ctx.fillText(trainKey, MARGIN.left, 13);
    if (val.length) {
      ctx.fillStyle = '#e67e22';
      ctx.fillText(`- - val_${style.name} (validation, at epoch ends)`, MARGIN.left + ctx.measureText(trainKey).width + 14, 13);
    }
  }

  private line(ctx: CanvasRenderingContext2D, points: Point[], x: (s: number) => number, y: (v: number) => number, color: string, dash: number[]): void {
    if (!points.length) return;
    ctx.strokeStyle = color;
    ctx.fillStyle = color;
    ctx.lineWidth = 2;
    ctx.setLineDash(dash);
    ctx.beginPath();
    points.forEach((p, i) => (i ? ctx.lineTo(x(p.step), y(p.value)) : ctx.moveTo(x(p.step), y(p.value))));
    ctx.stroke();
    ctx.setLineDash([]);
    for (const p of points) ctx.fillRect(x(p.step) - 2.5, y(p.value) - 2.5, 5, 5);
  }
}
