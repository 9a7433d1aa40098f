import type { TapeNode } from '../engine.ts';
import type { Tensor } from '../tensor.ts';
import { fill, zeros, zerosLike } from '../ops/create.ts';
import {
  cast, cos, div, equal, exp, greater, greaterEqual, lessEqual, log, mul, neg, pow, sign, sin, square, sub, where,
} from '../ops/elementwise.ts';
import { col2im, im2col } from '../ops/conv.ts';
import { conv2dRule } from './conv-rule.ts';
import { lstmCellRule } from './lstm-rule.ts';
import { gruCellRule } from './gru-rule.ts';
import { matmul } from '../ops/matmul.ts';
import { concat, reshape, slice, transpose, type SliceSpec } from '../ops/movement.ts';
import { oneHot } from '../ops/nn.ts';
import { reducedShape, sum } from '../ops/reduce.ts';
import type { GradOp } from './grad-ops.ts';
import type { DType } from '../dtype.ts';
import type { PatchSpec } from '../backend.ts';

/**
 * Given the upstream gradient of a node's output, the gradient of each input (null: none flows there).
 * `needed[i]` is false for inputs that do not depend on a watched variable: a rule may skip their work.
 */
export type GradRule = (dy: Tensor, node: TapeNode, needed: readonly boolean[]) => (Tensor | null)[];

/** Sum a broadcast gradient back to the shape of the input it came from. */
export function unbroadcast(g: Tensor, shape: readonly number[]): Tensor {
  const lead = g.rank - shape.length;
  const axes = g.shape.flatMap((d, i) => (i < lead || (shape[i - lead] === 1 && d !== 1) ? [i] : []));
  if (axes.length === 0) return g;
  const summed = sum(g, axes, false);
  return reshape(summed, shape);
}

const x0 = (n: TapeNode): Tensor => n.inputs[0];
const x1 = (n: TapeNode): Tensor => n.inputs[1];
const y = (n: TapeNode): Tensor => n.output;
const zeroGrad: GradRule = (dy) => [zerosLike(dy)];
/** dy * mask, with the mask (a bool) turned into 0/1. */
const masked = (dy: Tensor, mask: Tensor): Tensor => mul(dy, cast(mask, 'float32'));

/** Re-expand a reduction's output (or its gradient) to broadcast against the input. */
function unreduce(t: Tensor, node: TapeNode): Tensor {
  const { axes, keepDims } = node.attrs as { axes: number[]; keepDims: boolean };
  return keepDims ? t : reshape(t, reducedShape(x0(node).shape, axes, true));
}

function matmulRule(dy: Tensor, node: TapeNode): Tensor[] {
  const { transA, transB } = node.attrs as { transA: boolean; transB: boolean };
  const [a, b] = node.inputs;
  const da = !transA ? matmul(dy, b, false, !transB) : matmul(b, dy, transB, true);
  const db = !transB ? matmul(a, dy, !transA, false) : matmul(dy, a, true, transA);
  return [unbroadcast(da, a.shape), unbroadcast(db, b.shape)];
}

function sliceRule(dy: Tensor, node: TapeNode): Tensor[] {
  // pad dy back to the input's shape with zeros, one axis at a time
  const { begin } = node.attrs as { begin: number[] };
  const shape = x0(node).shape;
  let g = dy;
  shape.forEach((n, axis) => {
    const before = begin[axis];
    const after = n - before - g.shape[axis];
    const parts: Tensor[] = [];
    const pad = (len: number): Tensor => zeros(g.shape.map((d, i) => (i === axis ? len : d)));
    if (before > 0) parts.push(pad(before));
    parts.push(g);
    if (after > 0) parts.push(pad(after));
    if (parts.length > 1) g = concat(parts, axis);
  });
  return [g];
}

function concatRule(dy: Tensor, node: TapeNode): Tensor[] {
  const { axis, sizes } = node.attrs as { axis: number; sizes: number[] };
  let start = 0;
  return sizes.map((len) => {
    const spec: SliceSpec[] = dy.shape.map((_, i) => (i === axis ? { start, stop: start + len } : null));
    start += len;
    return slice(dy, spec);
  });
}

function gatherRule(dy: Tensor, node: TapeNode): (Tensor | null)[] {
  // scatter-add: rows of dy summed into the rows they came from, as oneHot(indices)ᵀ · dy
  const [x, indices] = node.inputs;
  const rows = reshape(dy, [indices.size, -1]);
  const scatter = matmul(oneHot(indices, x.shape[0]), rows, true, false);
  return [reshape(scatter, x.shape), null];
}

function denseRule(dy: Tensor, node: TapeNode, needed: readonly boolean[]): (Tensor | null)[] {
  const [x, w, bias] = node.inputs;
  const dz = node.attrs.activation === 'relu' ? masked(dy, greater(y(node), 0)) : dy;
  // The first layer's input (the batch) needs no gradient: skip its matmul, a third of the layer's work.
  const grads = [needed[0] ? matmul(dz, w, false, true) : null, matmul(x, dz, true, false)];
  if (bias) grads.push(sum(dz, 0));
  return grads;
}

/** Every differentiable op's rule, written over public ops; a missing entry is a compile error. */
export const RULES: Record<GradOp, GradRule> = {
  neg: (dy) => [neg(dy)],
  abs: (dy, n) => [mul(dy, sign(x0(n)))],
  exp: (dy, n) => [mul(dy, y(n))],
  log: (dy, n) => [div(dy, x0(n))],
  sqrt: (dy, n) => [div(dy, mul(y(n), 2))],
  rsqrt: (dy, n) => [mul(dy, mul(square(y(n)), mul(y(n), -0.5)))],
  square: (dy, n) => [mul(dy, mul(x0(n), 2))],
  relu: (dy, n) => [masked(dy, greater(x0(n), 0))],
  sigmoid: (dy, n) => [mul(dy, mul(y(n), sub(1, y(n))))],
  tanh: (dy, n) => [mul(dy, sub(1, square(y(n))))],
  reciprocal: (dy, n) => [neg(mul(dy, square(y(n))))],
  sin: (dy, n) => [mul(dy, cos(x0(n)))],
  cos: (dy, n) => [neg(mul(dy, sin(x0(n))))],
  sign: zeroGrad,
  floor: zeroGrad,
  ceil: zeroGrad,
  round: zeroGrad,

  add: (dy, n) => [unbroadcast(dy, x0(n).shape), unbroadcast(dy, x1(n).shape)],
  sub: (dy, n) => [unbroadcast(dy, x0(n).shape), unbroadcast(neg(dy), x1(n).shape)],
  mul: (dy, n) => [unbroadcast(mul(dy, x1(n)), x0(n).shape), unbroadcast(mul(dy, x0(n)), x1(n).shape)],
  div: (dy, n) => [
    unbroadcast(div(dy, x1(n)), x0(n).shape),
    unbroadcast(neg(mul(dy, div(y(n), x1(n)))), x1(n).shape),
  ],
  pow: (dy, n) => {
    const [a, b] = n.inputs;
    const da = mul(dy, mul(b, pow(a, sub(b, 1))));
    // d/db a^b = a^b ln a, taken as 0 where a <= 0 (as TensorFlow does)
    const positive = greater(a, 0);
    const db = mul(dy, where(positive, mul(y(n), log(where(positive, a, 1))), 0));
    return [unbroadcast(da, a.shape), unbroadcast(db, b.shape)];
  },
  maximum: (dy, n) => {
    const pick = greaterEqual(x0(n), x1(n));
    return [unbroadcast(masked(dy, pick), x0(n).shape), unbroadcast(where(pick, 0, dy), x1(n).shape)];
  },
  minimum: (dy, n) => {
    const pick = lessEqual(x0(n), x1(n));
    return [unbroadcast(masked(dy, pick), x0(n).shape), unbroadcast(where(pick, 0, dy), x1(n).shape)];
  },
  mod: (dy, n) => {
    const [a, b] = n.inputs;
    const quotient = div(sub(a, y(n)), b); // floor(a / b), exactly as the forward op used it
    return [unbroadcast(dy, a.shape), unbroadcast(neg(mul(dy, quotient)), b.shape)];
  },
  where: (dy, n) => {
    const [cond, a, b] = n.inputs;
    return [null, unbroadcast(where(cond, dy, 0), a.shape), unbroadcast(where(cond, 0, dy), b.shape)];
  },

  sum: (dy, n) => [mul(unreduce(dy, n), fill(x0(n).shape, 1))],
  prod: (dy, n) => [mul(unreduce(dy, n), div(unreduce(y(n), n), x0(n)))],
  max: (dy, n) => [masked(unreduce(dy, n), equal(x0(n), unreduce(y(n), n)))],
  min: (dy, n) => [masked(unreduce(dy, n), equal(x0(n), unreduce(y(n), n)))],

  matmul: matmulRule,
  dense: denseRule,
  reshape: (dy, n) => [reshape(dy, x0(n).shape)],
  permute: (dy, n) => {
    const perm = n.attrs.perm as number[];
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return [transpose(dy, inverse)];
  },
  slice: sliceRule,
  concat: concatRule,
  gather: gatherRule,
  cast: (dy, n) => [(n.attrs.from as DType) === 'float32' ? dy : null],
  // Linear maps, each the other's adjoint (the pad value is a constant: no gradient flows to it).
  im2col: (dy, n) => [col2im(dy, n.attrs.spec as PatchSpec)],
  col2im: (dy, n) => [im2col(dy, n.attrs.spec as PatchSpec)],
  conv2d: conv2dRule,
  lstmCell: lstmCellRule,
  gruCell: gruCellRule,

  softmax: (dy, n) => {
    const axis = n.attrs.axis as number;
    return [mul(y(n), sub(dy, sum(mul(dy, y(n)), axis, true)))];
  },
  logSoftmax: (dy, n) => {
    const axis = n.attrs.axis as number;
    return [sub(dy, mul(exp(y(n)), sum(dy, axis, true)))];
  },
};
