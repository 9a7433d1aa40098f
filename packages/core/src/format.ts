import type { DType, TypedArray } from './dtype.ts';
import { sizeOf, type Shape } from './shape.ts';

/** numpy-style text, e.g. `array([[1., 2.],\n       [3., 4.]], dtype=float32)`; long axes are elided. */
export function formatTensor(values: TypedArray, shape: Shape, dtype: DType): string {
  const isFloat = dtype === 'float32';
  const fmt = (v: number): string => {
    if (dtype === 'bool') return v ? 'True' : 'False';
    if (!isFloat) return String(v);
    if (Number.isNaN(v)) return 'nan';
    if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
    if (Number.isInteger(v) && Math.abs(v) < 1e16) return `${v}.`;
    const abs = Math.abs(v);
    return abs !== 0 && (abs < 1e-4 || abs >= 1e16) ? v.toExponential(4) : String(Number(v.toPrecision(8)));
  };
  const EDGE = 3;
  const LIMIT = 1000;
  const summarize = sizeOf(shape) > LIMIT;
  const cells: string[] = [];
  const collect = (dim: number, offset: number): void => {
    if (dim === shape.length) { cells.push(fmt(values[offset])); return; }
    const stride = sizeOf(shape.slice(dim + 1));
    for (const i of visible(shape[dim], summarize, EDGE)) if (i >= 0) collect(dim + 1, offset + i * stride);
  };
  collect(0, 0);
  const width = Math.max(0, ...cells.map((c) => c.length));
  let next = 0;
  const prefix = 'array(';
  const render = (dim: number, indent: string): string => {
    if (dim === shape.length) return cells[next++].padStart(width);
    const parts = visible(shape[dim], summarize, EDGE).map((i) => (i < 0 ? '...' : render(dim + 1, indent + ' ')));
    const sep = dim === shape.length - 1 ? ', ' : ',' + '\n'.repeat(shape.length - dim - 1) + indent + ' ';
    return `[${parts.join(sep)}]`;
  };
  const body = render(0, ' '.repeat(prefix.length));
  const suffix = dtype === 'float32' ? ', dtype=float32' : dtype === 'int32' ? ', dtype=int32' : dtype === 'uint8' ? ', dtype=uint8' : '';
  return `${prefix}${body}${suffix})`;
}

/** Indices to show along an axis; -1 marks the elision. */
function visible(n: number, summarize: boolean, edge: number): number[] {
  if (!summarize || n <= 2 * edge) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: edge }, (_, i) => i), -1, ...Array.from({ length: edge }, (_, i) => n - edge + i)];
}
