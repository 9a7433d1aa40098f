import type { PatchSpec } from '../backend.ts';
import { engine, tidy } from '../engine.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { tensor } from './create.ts';
import { add, div, relu } from './elementwise.ts';
import { matmul } from './matmul.ts';
import { reshape, transpose } from './movement.ts';
import { dense } from './nn.ts';
import { max, mean, sum } from './reduce.ts';
import { run } from './run.ts';

/**
 * 2-D convolution and pooling, channels last, as image patches (`im2col`, a backend kernel) feeding the
 * packed matmul; see docs/ARCHITECTURE.md for the choice. 1-D forms are these with height 1.
 */

export type Padding = 'valid' | 'same';
export type Pair = number | readonly [number, number];

const pair = (v: Pair): [number, number] => (typeof v === 'number' ? [v, v] : [v[0], v[1]]);

/** Output extent and leading pad of one spatial axis, as TensorFlow and Keras define `valid` and `same`. */
function axisGeometry(size: number, kernel: number, stride: number, dilation: number, padding: Padding): [out: number, padBefore: number] {
  const span = (kernel - 1) * dilation + 1;
  if (padding === 'valid') return [Math.floor((size - span) / stride) + 1, 0];
  const out = Math.ceil(size / stride);
  return [out, Math.floor(Math.max((out - 1) * stride + span - size, 0) / 2)];
}

/** The patch geometry of a [batch, height, width, channels] input; throws, naming `op`, on a bad shape. */
export function patchSpec(op: string, shape: readonly number[], kernel: Pair, strides: Pair, dilations: Pair, padding: Padding): PatchSpec {
  if (shape.length !== 4) throw new Error(`${op}: expected a rank-4 input (batch, height, width, channels), got shape ${formatShape(shape)}`);
  const [kh, kw] = pair(kernel);
  const [sh, sw] = pair(strides);
  const [dh, dw] = pair(dilations);
  for (const [name, v] of [['kernel size', kh], ['kernel size', kw], ['strides', sh], ['strides', sw], ['dilation rate', dh], ['dilation rate', dw]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${op}: ${name} must be positive integers, got ${v}`);
  }
  if ((sh > 1 || sw > 1) && (dh > 1 || dw > 1)) throw new Error(`${op}: strides > 1 with dilation rate > 1 is not supported (as in Keras), got strides [${sh}, ${sw}] and dilation rate [${dh}, ${dw}]`);
  const [batch, height, width, channels] = shape;
  const [outHeight, padTop] = axisGeometry(height, kh, sh, dh, padding);
  const [outWidth, padLeft] = axisGeometry(width, kw, sw, dw, padding);
  if (outHeight < 1 || outWidth < 1) {
    throw new Error(`${op}: a ${kh}×${kw} window (dilation [${dh}, ${dw}]) is larger than the ${padding}-padded input ${formatShape(shape)}`);
  }
  return {
    batch, height, width, channels, kernelHeight: kh, kernelWidth: kw, strideHeight: sh, strideWidth: sw,
    dilationHeight: dh, dilationWidth: dw, padTop, padLeft, outHeight, outWidth,
  };
}

/** The spec's geometry in the order both backends' kernels take it: h, w, c, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow. */
export const patchGeometry = (s: PatchSpec): number[] => [
  s.height, s.width, s.channels, s.kernelHeight, s.kernelWidth, s.strideHeight, s.strideWidth,
  s.dilationHeight, s.dilationWidth, s.padTop, s.padLeft, s.outHeight, s.outWidth,
];

const patchesShape = (s: PatchSpec): number[] => [s.batch, s.outHeight, s.outWidth, s.kernelHeight * s.kernelWidth, s.channels];
const imageShape = (s: PatchSpec): number[] => [s.batch, s.height, s.width, s.channels];

function requireFloat(op: string, x: Tensor): void {
  if (x.dtype !== 'float32') throw new Error(`${op}: expected float32, got ${x.dtype} (cast first)`);
}

/** Patches [batch, outHeight, outWidth, kh·kw, channels] of x [batch, height, width, channels]. */
export function im2col(x: Tensor, spec: PatchSpec, padValue = 0): Tensor {
  requireFloat('im2col', x);
  return run('im2col', 'im2col', [x], (b) => b.im2col(x.info(), spec, padValue), patchesShape(spec), 'float32', { spec });
}

/** The adjoint of im2col: patches summed back onto the [batch, height, width, channels] image. */
export function col2im(cols: Tensor, spec: PatchSpec): Tensor {
  requireFloat('col2im', cols);
  return run('col2im', 'col2im', [cols], (b) => b.col2im(cols.info(), spec), imageShape(spec), 'float32', { spec });
}

export interface Conv2dOptions {
  readonly strides?: Pair;
  readonly padding?: Padding;
  readonly dilations?: Pair;
  /** Channels and filters split into this many independent groups (kernel [kh, kw, channels / groups, filters]). */
  readonly groups?: number;
  readonly bias?: Tensor;
  readonly activation?: 'relu';
}

/** x [batch, h, w, channels] ⊛ kernel [kh, kw, channels / groups, filters] (Keras's layout) → [batch, oh, ow, filters]. */
export function conv2d(x: Tensor, kernel: Tensor, options: Conv2dOptions = {}): Tensor {
  const { groups = 1, bias, activation } = options;
  if (kernel.rank !== 4) throw new Error(`conv2d: expected a rank-4 kernel (kh, kw, in/groups, filters), got ${formatShape(kernel.shape)}`);
  const [kh, kw, cg, filters] = kernel.shape;
  const spec = patchSpec('conv2d', x.shape, [kh, kw], options.strides ?? 1, options.dilations ?? 1, options.padding ?? 'valid');
  if (!Number.isInteger(groups) || groups < 1 || spec.channels !== cg * groups || filters % groups !== 0) {
    throw new Error(`conv2d: input ${formatShape(x.shape)} and kernel ${formatShape(kernel.shape)} do not match with groups=${groups}: expected input channels = ${cg} × groups and filters divisible by groups`);
  }
  if (bias && (bias.rank !== 1 || bias.shape[0] !== filters)) throw new Error(`conv2d: bias ${formatShape(bias.shape)} does not match ${filters} filters`);
  const rows = spec.batch * spec.outHeight * spec.outWidth;
  const depth = kh * kw * cg;
  const outShape = [spec.batch, spec.outHeight, spec.outWidth, filters];
  if (groups === 1) {
    // One tape node: its rule (autograd/conv-rule.ts) splits the long weight-gradient contraction.
    const y = engine.untaped(() => tidy(() => reshape(dense(reshape(im2col(x, spec), [rows, depth]), reshape(kernel, [depth, filters]), bias, activation), outShape)));
    engine.record('conv2d', bias ? [x, kernel, bias] : [x, kernel], y, { spec, activation });
    return y;
  }
  return tidy(() => {
    const cols = im2col(x, spec);
    // Per group g: its channels of every patch times its slice of the kernel, one batched matmul.
    const fg = filters / groups;
    const a = reshape(transpose(reshape(cols, [rows, kh * kw, groups, cg]), [2, 0, 1, 3]), [groups, rows, depth]);
    const w = transpose(reshape(kernel, [depth, groups, fg]), [1, 0, 2]);
    const z = reshape(transpose(matmul(a, w), [1, 0, 2]), outShape);
    const biased = bias ? add(z, bias) : z;
    return activation === 'relu' ? relu(biased) : biased;
  });
}

export interface Pool2dOptions {
  readonly poolSize: Pair;
  /** Defaults to poolSize, as in Keras. */
  readonly strides?: Pair;
  readonly padding?: Padding;
}

function poolSpec(op: string, x: Tensor, options: Pool2dOptions): PatchSpec {
  requireFloat(op, x);
  return patchSpec(op, x.shape, options.poolSize, options.strides ?? options.poolSize, 1, options.padding ?? 'valid');
}

/** Max over each window; padding never wins (windows read −∞ there). */
export function maxPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  const spec = poolSpec('maxPool2d', x, options);
  return tidy(() => max(im2col(x, spec, -Infinity), 3));
}

/** Mean over each window's positions inside the image (padding is not counted, as in Keras). */
export function avgPool2d(x: Tensor, options: Pool2dOptions): Tensor {
  const spec = poolSpec('avgPool2d', x, options);
  return tidy(() => {
    const patches = im2col(x, spec);
    if (spec.padTop === 0 && spec.padLeft === 0 && options.padding !== 'same') return mean(patches, 3);
    return div(sum(patches, 3), windowCounts(spec));
  });
}

/** [1, outHeight, outWidth, 1]: how many positions of each window fall inside the image. */
function windowCounts(s: PatchSpec): Tensor {
  const inside = (out: number, stride: number, pad: number, k: number, size: number): number => {
    let n = 0;
    for (let i = 0; i < k; i++) if (out * stride + i - pad >= 0 && out * stride + i - pad < size) n++;
    return n;
  };
  const counts: number[] = [];
  for (let y = 0; y < s.outHeight; y++) {
    for (let x = 0; x < s.outWidth; x++) {
      counts.push(inside(y, s.strideHeight, s.padTop, s.kernelHeight, s.height) * inside(x, s.strideWidth, s.padLeft, s.kernelWidth, s.width));
    }
  }
  return tensor(counts, [1, s.outHeight, s.outWidth, 1]);
}
