import type { ReduceOp } from '../backend.ts';
import { formatShape, normalizeAxes, sizeOf } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { cast, div, exp, log, sub, add } from './elementwise.ts';
import { reshape, transpose } from './movement.ts';
import { fill } from './create.ts';
import { run } from './run.ts';
import { engine } from '../engine.ts';
import type { GradOp } from '../autograd/grad-ops.ts';

export type Axis = number | readonly number[];

/** Output shape of a reduction, with or without the reduced axes kept as size 1. */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepDims: boolean): number[] {
  return keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/**
 * Reduce over `axes`. Contiguous axes map onto the kernel's [outer, reduce, inner] layout directly;
 * scattered axes are first permuted to the end.
 */
function reduce(op: ReduceOp, x: Tensor, axis: Axis | undefined, keepDims: boolean): Tensor {
  const name = op;
  const axes = normalizeAxes(name, axis, x.rank);
  const outShape = reducedShape(x.shape, axes, keepDims);
  const noIdentity = op === 'max' || op === 'min' || op === 'argmax' || op === 'argmin';
  if (noIdentity && axes.some((a) => x.shape[a] === 0)) {
    throw new Error(`${op}: zero-size reduction over axis ${axes.find((a) => x.shape[a] === 0)} of shape ${formatShape(x.shape)}, which has no identity (as numpy refuses)`);
  }
  const contiguous = axes.every((a, i) => i === 0 || a === axes[i - 1] + 1);
  let input = x;
  if (op === 'sum' || op === 'prod') {
    if (x.dtype === 'bool' || x.dtype === 'uint8') input = cast(x, 'int32');
  }
  let layout;
  if (contiguous) {
    const first = axes[0] ?? x.rank;
    const last = axes.length ? axes[axes.length - 1] : x.rank - 1;
    layout = { outer: sizeOf(x.shape.slice(0, first)), reduceSize: sizeOf(axes.map((a) => x.shape[a])), inner: sizeOf(x.shape.slice(last + 1)) };
  } else {
    const rest = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const moved = engine.untaped(() => transpose(input, [...rest, ...axes]));
    if (input !== x) input.dispose();
    input = moved;
    layout = { outer: sizeOf(rest.map((i) => x.shape[i])), reduceSize: sizeOf(axes.map((a) => x.shape[a])), inner: 1 };
  }
  const isArg = op === 'argmax' || op === 'argmin';
  const gradOp: GradOp | null = isArg || input.dtype !== 'float32' ? null : (op as GradOp);
  const src = input;
  const kernel = (): Tensor => run(op, null, [src], (b) => b.reduce(op, src.info(), layout), outShape, isArg ? 'int32' : src.dtype);
  // the gradient rule sees the original input and the reduced axes (untaped: not reported as non-differentiable)
  const out = gradOp ? engine.untaped(kernel) : kernel();
  if (gradOp) engine.record(gradOp, [x], out, { axes, keepDims });
  if (input !== x) input.dispose();
  return out;
}

export const sum = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduce('sum', x, axis, keepDims);
export const prod = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduce('prod', x, axis, keepDims);
export const max = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduce('max', x, axis, keepDims);
export const min = (x: Tensor, axis?: Axis, keepDims = false): Tensor => reduce('min', x, axis, keepDims);

function argReduce(op: 'argmax' | 'argmin', x: Tensor, axis: number | undefined): Tensor {
  if (axis === undefined) {
    const flat = reshape(x, [x.size]);
    const out = reduce(op, flat, 0, false);
    flat.dispose();
    return out;
  }
  return reduce(op, x, axis, false);
}

/** Index of the largest value along `axis` (over the flattened tensor when omitted), int32. */
export const argmax = (x: Tensor, axis?: number): Tensor => argReduce('argmax', x, axis);
export const argmin = (x: Tensor, axis?: number): Tensor => argReduce('argmin', x, axis);

export function mean(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normalizeAxes('mean', axis, x.rank);
  const count = sizeOf(axes.map((a) => x.shape[a]));
  const total = sum(x.dtype === 'float32' ? x : cast(x, 'float32'), axes, keepDims);
  const out = div(total, count);
  total.dispose();
  return out;
}

/** log(sum(exp(x))) along axes, computed stably by subtracting the max first. */
export function logSumExp(x: Tensor, axis?: Axis, keepDims = false): Tensor {
  const axes = normalizeAxes('logSumExp', axis, x.rank);
  if (axes.some((a) => x.shape[a] === 0)) return fill(reducedShape(x.shape, axes, keepDims), -Infinity); // log(0), as numpy
  const m = engine.untaped(() => max(x, axes, true));
  const shifted = sub(x, m);
  const e = exp(shifted);
  const s = sum(e, axes, true);
  const l = log(s);
  const withMax = add(l, m);
  const out = keepDims ? withMax : reshape(withMax, reducedShape(x.shape, axes, false));
  for (const t of [m, shifted, e, s, l]) t.dispose();
  if (out !== withMax) withMax.dispose();
  return out;
}
