import { formatLayerShape, type Layer, type LayerShape } from '../layers/layer.ts';

/**
 * Keras 3's `model.summary()` table as rich draws it in an 80-column terminal (columns of 31, 22 and 13
 * characters, wrapped when longer), followed by the parameter totals with their float32 sizes.
 */
const WIDTHS = [31, 22, 13] as const;
const RIGHT_ALIGNED = [false, false, true] as const;

export interface SummaryRow {
  layer: Layer;
  outputShape: LayerShape | undefined;
}

/** Keras's `readable_memory_size`: 1628200 → `1.55 MB`. */
export function readableSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${size.toFixed(2)} ${unit}`;
    size /= 1024;
  }
  return `${size.toFixed(2)} PB`;
}

const thousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Split text into pieces of at most `width` characters (rich folds long cells). */
function fold(text: string, width: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += width) pieces.push(text.slice(i, i + width));
  return pieces.length ? pieces : [''];
}

function row(cells: readonly string[], left: string, mid: string, right: string): string[] {
  const folded = cells.map((c, i) => fold(c, WIDTHS[i]));
  const height = Math.max(...folded.map((f) => f.length));
  return Array.from({ length: height }, (_, line) => {
    const parts = folded.map((f, i) => {
      const text = f[line] ?? '';
      return ` ${RIGHT_ALIGNED[i] ? text.padStart(WIDTHS[i]) : text.padEnd(WIDTHS[i])} `;
    });
    return left + parts.join(mid) + right;
  });
}

function rule(left: string, fill: string, mid: string, right: string): string {
  return left + WIDTHS.map((w) => fill.repeat(w + 2)).join(mid) + right;
}

export function summaryLines(modelName: string, rows: readonly SummaryRow[], trainable: number, nonTrainable: number): string[] {
  const lines = [`Model: "${modelName}"`, rule('┏', '━', '┳', '┓'), ...row(['Layer (type)', 'Output Shape', 'Param #'], '┃', '┃', '┃'), rule('┡', '━', '╇', '┩')];
  rows.forEach(({ layer, outputShape }, i) => {
    if (i > 0) lines.push(rule('├', '─', '┼', '┤'));
    const params = layer.built ? thousands(layer.countParams()) : '0 (unbuilt)';
    lines.push(...row([`${layer.name} (${layer.className})`, outputShape ? formatLayerShape(outputShape) : '?', params], '│', '│', '│'));
  });
  lines.push(rule('└', '─', '┴', '┘'));
  const total = trainable + nonTrainable;
  lines.push(` Total params: ${thousands(total)} (${readableSize(total * 4)})`);
  lines.push(` Trainable params: ${thousands(trainable)} (${readableSize(trainable * 4)})`);
  lines.push(` Non-trainable params: ${thousands(nonTrainable)} (${readableSize(nonTrainable * 4)})`);
  return lines;
}
