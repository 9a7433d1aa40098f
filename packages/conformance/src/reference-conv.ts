/**
 * float64 references for convolution and pooling, channels last, written directly as sums over windows
 * (no patches, no matmul) so they check core's im2col + matmul composition independently.
 */
import { arr, generate, numel, type Arr } from './reference.ts';

export type Padding = 'valid' | 'same';

export interface Window {
  readonly kernel: readonly [number, number];
  readonly strides?: readonly [number, number];
  readonly dilations?: readonly [number, number];
  readonly padding?: Padding;
}

interface Axis { readonly out: number; readonly before: number; readonly k: number; readonly s: number; readonly d: number; readonly size: number }

/** TensorFlow's rule: `same` gives ceil(size / stride) outputs, the odd pad pixel going after. */
function axis(size: number, k: number, s: number, d: number, padding: Padding): Axis {
  const extent = d * (k - 1) + 1;
  if (padding === 'valid') return { out: Math.floor((size - extent) / s) + 1, before: 0, k, s, d, size };
  const out = Math.ceil(size / s);
  const total = Math.max(0, (out - 1) * s + extent - size);
  return { out, before: Math.floor(total / 2), k, s, d, size };
}

function axes(shape: readonly number[], w: Window): [Axis, Axis] {
  const [sh, sw] = w.strides ?? [1, 1];
  const [dh, dw] = w.dilations ?? [1, 1];
  const padding = w.padding ?? 'valid';
  return [axis(shape[1], w.kernel[0], sh, dh, padding), axis(shape[2], w.kernel[1], sw, dw, padding)];
}

/** Input coordinate of window offset i at output o, or -1 outside the image. */
const source = (a: Axis, o: number, i: number): number => {
  const at = o * a.s + i * a.d - a.before;
  return at >= 0 && at < a.size ? at : -1;
};

/** x [n, h, w, c] ⊛ kernel [kh, kw, c / groups, f] (+ bias, relu) → [n, oh, ow, f]. */
export function conv2d(x: Arr, kernel: Arr, w: Omit<Window, 'kernel'> & { groups?: number }, bias?: Arr, relu = false): Arr {
  const [kh, kw, cg, f] = kernel.shape;
  const [ay, ax] = axes(x.shape, { ...w, kernel: [kh, kw] });
  const [, , width, c] = x.shape;
  const fg = f / (w.groups ?? 1);
  return generate([x.shape[0], ay.out, ax.out, f], ([n, y, xo, o]) => {
    const g = Math.floor(o / fg);
    let s = bias ? bias.data[o] : 0;
    for (let i = 0; i < kh; i++) {
      const iy = source(ay, y, i);
      if (iy < 0) continue;
      for (let j = 0; j < kw; j++) {
        const ix = source(ax, xo, j);
        if (ix < 0) continue;
        for (let q = 0; q < cg; q++) s += x.data[((n * x.shape[1] + iy) * width + ix) * c + g * cg + q] * kernel.data[((i * kw + j) * cg + q) * f + o];
      }
    }
    return relu ? Math.max(s, 0) : s;
  });
}

/** Max or mean over each window's positions inside the image. */
export function pool2d(x: Arr, kind: 'max' | 'avg', w: Window): Arr {
  const [ay, ax] = axes(x.shape, { ...w, strides: w.strides ?? w.kernel });
  const [, , width, c] = x.shape;
  return generate([x.shape[0], ay.out, ax.out, c], ([n, y, xo, ch]) => {
    const seen: number[] = [];
    for (let i = 0; i < w.kernel[0]; i++) {
      for (let j = 0; j < w.kernel[1]; j++) {
        const iy = source(ay, y, i);
        const ix = source(ax, xo, j);
        if (iy >= 0 && ix >= 0) seen.push(x.data[((n * x.shape[1] + iy) * width + ix) * c + ch]);
      }
    }
    return kind === 'max' ? Math.max(...seen) : seen.reduce((a, b) => a + b, 0) / seen.length;
  });
}

/** Patches [n, oh, ow, kh·kw, c]; `pad` outside the image. */
export function im2col(x: Arr, w: Window, pad = 0): Arr {
  const [ay, ax] = axes(x.shape, w);
  const [, , width, c] = x.shape;
  return generate([x.shape[0], ay.out, ax.out, w.kernel[0] * w.kernel[1], c], ([n, y, xo, ij, ch]) => {
    const iy = source(ay, y, Math.floor(ij / w.kernel[1]));
    const ix = source(ax, xo, ij % w.kernel[1]);
    return iy >= 0 && ix >= 0 ? x.data[((n * x.shape[1] + iy) * width + ix) * c + ch] : pad;
  });
}

/** The adjoint of im2col, as a scatter-add onto an image of `shape`. */
export function col2im(cols: Arr, shape: readonly number[], w: Window): Arr {
  const [ay, ax] = axes(shape, w);
  const [, , width, c] = shape;
  const out = new Array<number>(numel(shape)).fill(0);
  const kk = w.kernel[0] * w.kernel[1];
  cols.data.forEach((v, e) => {
    const ch = e % c;
    const ij = Math.floor(e / c) % kk;
    const r = Math.floor(e / (c * kk));
    const xo = r % ax.out;
    const y = Math.floor(r / ax.out) % ay.out;
    const n = Math.floor(r / (ax.out * ay.out));
    const iy = source(ay, y, Math.floor(ij / w.kernel[1]));
    const ix = source(ax, xo, ij % w.kernel[1]);
    if (iy >= 0 && ix >= 0) out[((n * shape[1] + iy) * width + ix) * c + ch] += v;
  });
  return arr(shape, out);
}
