// A line chart of values against the training step, on a canvas. Points are appended as they arrive
// and drawn at most once per animation frame, so charting never holds up the worker's messages. The
// latest summary is kept in the canvas's aria-label (for screen readers) and data-* attributes (for the
// end-to-end test).

const PAD = 28;

export class LineChart {
  private readonly points: { step: number; value: number }[] = [];
  private frame = 0;

  constructor(private readonly canvas: HTMLCanvasElement, private readonly title: string, private readonly color: string) {}

  push(step: number, value: number): void {
    this.points.push({ step, value });
    const first = this.points[0].value;
    this.canvas.dataset.count = String(this.points.length);
    this.canvas.dataset.first = String(first);
    this.canvas.dataset.last = String(value);
    this.canvas.setAttribute('aria-label', `${this.title}: ${this.points.length} readings up to batch ${step}, first ${first.toFixed(4)}, latest ${value.toFixed(4)}`);
    this.frame ||= requestAnimationFrame(() => this.draw());
  }

  private draw(): void {
    this.frame = 0;
    const ctx = this.canvas.getContext('2d')!;
    const { width, height } = this.canvas;
    const values = this.points.map((p) => p.value);
    const top = Math.max(...values);
    const bottom = Math.min(0, ...values);
    const lastStep = this.points[this.points.length - 1].step;
    const x = (step: number): number => PAD + ((width - PAD - 8) * step) / Math.max(1, lastStep);
    const y = (v: number): number => height - PAD + ((height - 2 * PAD) * (bottom - v)) / (top - bottom || 1);
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = '#555';
    ctx.font = '11px system-ui, sans-serif';
    ctx.fillText(top.toFixed(2), 2, y(top) + 4);
    ctx.fillText(bottom.toFixed(2), 2, y(bottom));
    ctx.fillText(`batch ${lastStep}`, width - 70, height - 8);
    ctx.strokeStyle = '#ccc';
    ctx.strokeRect(PAD, y(top), width - PAD - 8, y(bottom) - y(top));
    ctx.strokeStyle = this.color;
    ctx.fillStyle = this.color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    this.points.forEach((p, i) => (i ? ctx.lineTo(x(p.step), y(p.value)) : ctx.moveTo(x(p.step), y(p.value))));
    ctx.stroke();
    for (const p of this.points) ctx.fillRect(x(p.step) - 2, y(p.value) - 2, 4, 4);
  }
}
