// The tensor-ops panel: the "F" point cloud and its image under the chosen transform, recomputed with
// Strata ops on every edit. The transformed coordinates are also published as JSON on
// #geometry-points (data-points) for the end-to-end test.
import { tensor, tidy } from '@strata/layers';
import { byId, numberIn } from './dom.ts';
import { TRANSFORMS, TRANSFORM_CODE, letterF, rotationMatrix, scalingMatrix, transformPoints, type Matrix2, type TransformName, type Vector2 } from './geometry.ts';

const SCALE = 60; // canvas pixels per unit

const DEFAULT_MATRIX: Record<Exclude<TransformName, 'translation' | 'rotation'>, Matrix2> = {
  scaling: scalingMatrix(1.5, 0.5),
  affine: [[1, 0.5], [0, 1]],
  relu: [[1, 0.5], [0, 1]],
};

function isTransform(value: string): value is TransformName {
  return (TRANSFORMS as readonly string[]).includes(value);
}

export class GeometryPanel {
  private readonly canvas = byId('geometry-canvas', HTMLCanvasElement);
  private readonly select = byId('transform', HTMLSelectElement);
  private readonly angle = byId('angle', HTMLInputElement);
  private readonly cells = (['m00', 'm01', 'm10', 'm11'] as const).map((id) => byId(id, HTMLInputElement));
  private readonly vector = (['b0', 'b1'] as const).map((id) => byId(id, HTMLInputElement));
  private readonly code = byId('geometry-code', HTMLElement);
  private readonly output = byId('geometry-points', HTMLOutputElement);
  private readonly source = letterF();

  constructor() {
    this.output.dataset.source = JSON.stringify(this.source);
    this.select.addEventListener('change', () => { this.resetMatrix(); this.update(); });
    this.angle.addEventListener('input', () => { this.resetMatrix(); this.update(); });
    for (const input of [...this.cells, ...this.vector]) input.addEventListener('input', () => this.update());
    this.resetMatrix();
    this.update();
  }

  private get transform(): TransformName {
    const value = this.select.value;
    if (!isTransform(value)) throw new Error(`geometry: unknown transform ${JSON.stringify(value)}; valid: ${TRANSFORMS.join(', ')}`);
    return value;
  }

  /** Fill the matrix cells with the transform's matrix (R from the angle, or the default S / W). */
  private resetMatrix(): void {
    const name = this.transform;
    // (the field stays in place, greyed, so the form does not jump; only rotation reads the angle)
    this.angle.disabled = name !== 'rotation';
    byId('angle-field', HTMLElement).classList.toggle('disabled', name !== 'rotation');
    const matrix = name === 'translation' ? [[1, 0], [0, 1]] : name === 'rotation' ? rotationMatrix((numberIn(this.angle) * Math.PI) / 180) : DEFAULT_MATRIX[name];
    matrix.flat().forEach((v, i) => {
      this.cells[i].value = String(Number(v.toFixed(6)));
      this.cells[i].disabled = name === 'translation';
    });
    for (const input of this.vector) input.disabled = name === 'rotation' || name === 'scaling';
  }

  private update(): void {
    const [a, b, c, d] = this.cells.map((input) => numberIn(input));
    const w: Matrix2 = [[a, b], [c, d]];
    const bias: Vector2 = [numberIn(this.vector[0]), numberIn(this.vector[1])];
    const values = tidy(() => transformPoints(this.transform, tensor(this.source), w, bias).dataSync());
    const moved = this.source.map((_, i): Vector2 => [values[2 * i], values[2 * i + 1]]);
    this.code.textContent = TRANSFORM_CODE[this.transform];
    this.output.dataset.points = JSON.stringify(moved);
    this.output.value = `${moved.length} points; first ${moved[0].map((v) => v.toFixed(3)).join(', ')}`;
    this.draw(moved);
  }

  private draw(moved: Vector2[]): void {
    const ctx = this.canvas.getContext('2d')!;
    const { width, height } = this.canvas;
    const at = ([x, y]: Vector2): [number, number] => [width / 2 + x * SCALE, height / 2 - y * SCALE];
    ctx.clearRect(0, 0, width, height);
    // unit gridlines with tick labels, then the axes
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    const half = Math.floor(width / 2 / SCALE);
    for (let k = -half; k <= half; k++) {
      const [px, py] = at([k, k]);
      ctx.strokeStyle = '#eee';
      ctx.beginPath();
      ctx.moveTo(px, 0); ctx.lineTo(px, height);
      ctx.moveTo(0, py); ctx.lineTo(width, py);
      ctx.stroke();
      if (k === 0 || Math.abs(k) === half) continue; // (the edges' labels would be cut in half)
      ctx.fillStyle = '#777';
      ctx.fillText(String(k), px, height / 2 + 14);
      ctx.fillText(String(k), width / 2 - 10, py + 4);
    }
    ctx.strokeStyle = '#999';
    ctx.beginPath();
    ctx.moveTo(0, height / 2); ctx.lineTo(width, height / 2);
    ctx.moveTo(width / 2, 0); ctx.lineTo(width / 2, height);
    ctx.stroke();
    ctx.fillText('x', width - 8, height / 2 - 6);
    ctx.fillText('y', width / 2 + 10, 12);
    const dots = (points: Vector2[], color: string): void => {
      ctx.fillStyle = color;
      for (const p of points) {
        const [x, y] = at(p);
        ctx.fillRect(x - 2.5, y - 2.5, 5, 5);
      }
    };
    dots(this.source, '#aaa');
    dots(moved, '#2471a3');
  }
}
