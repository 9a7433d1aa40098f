import type { ArithmeticOp, CompareOp, UnaryOp } from '../backend.ts';
import { promote, type DType } from '../dtype.ts';
import { broadcastShapes } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { scalar } from './create.ts';
import { run } from './run.ts';
import type { GradOp } from '../autograd/grad-ops.ts';

export type Operand = Tensor | number;

/** Ops defined only on floats: integer inputs are converted to float32 first (numpy's true division etc.). */
const FLOAT_ONLY = new Set<UnaryOp | ArithmeticOp>(['exp', 'log', 'sqrt', 'rsqrt', 'sigmoid', 'tanh', 'reciprocal', 'sin', 'cos', 'div', 'pow']);
/** Unary ops that are flat (zero gradient almost everywhere) but still differentiable. */
const DIFFERENTIABLE_UNARY = new Set<string>(['neg', 'abs', 'exp', 'log', 'sqrt', 'rsqrt', 'square', 'relu', 'sigmoid', 'tanh', 'reciprocal', 'sin', 'cos', 'sign', 'floor', 'ceil', 'round']);

export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  // Only float→float keeps a gradient; a cast to an integer type cuts it (reported if asked).
  return run('cast', dtype === 'float32' ? 'cast' : null, [x], (b) => b.cast(x.info(), dtype), x.shape, dtype, { from: x.dtype });
}

function unary(op: UnaryOp, x: Tensor): Tensor {
  if (op === 'logicalNot') return run(op, null, [x], (b) => b.unary(op, x.info()), x.shape, 'bool');
  const input = FLOAT_ONLY.has(op) || x.dtype === 'bool' || x.dtype === 'uint8' && op === 'neg' ? cast(x, 'float32') : x;
  const gradOp = DIFFERENTIABLE_UNARY.has(op) && input.dtype === 'float32' ? (op as GradOp) : null;
  const out = run(op, gradOp, [input], (b) => b.unary(op, input.info()), x.shape, input.dtype);
  if (input !== x) input.dispose();
  return out;
}

export const neg = (x: Tensor): Tensor => unary('neg', x);
export const abs = (x: Tensor): Tensor => unary('abs', x);
export const exp = (x: Tensor): Tensor => unary('exp', x);
export const log = (x: Tensor): Tensor => unary('log', x);
export const sqrt = (x: Tensor): Tensor => unary('sqrt', x);
export const rsqrt = (x: Tensor): Tensor => unary('rsqrt', x);
export const square = (x: Tensor): Tensor => unary('square', x);
export const relu = (x: Tensor): Tensor => unary('relu', x);
export const sigmoid = (x: Tensor): Tensor => unary('sigmoid', x);
export const tanh = (x: Tensor): Tensor => unary('tanh', x);
export const sign = (x: Tensor): Tensor => unary('sign', x);
export const floor = (x: Tensor): Tensor => unary('floor', x);
export const ceil = (x: Tensor): Tensor => unary('ceil', x);
export const round = (x: Tensor): Tensor => unary('round', x);
export const reciprocal = (x: Tensor): Tensor => unary('reciprocal', x);
export const sin = (x: Tensor): Tensor => unary('sin', x);
export const cos = (x: Tensor): Tensor => unary('cos', x);
export const logicalNot = (x: Tensor): Tensor => unary('logicalNot', x);

/** Turn a number operand into a scalar tensor of a dtype that suits the other side. */
function asTensor(v: Operand, other: Operand, op: string): Tensor {
  if (typeof v !== 'number') {
    if (!v || typeof v !== 'object' || !('shape' in v)) throw new Error(`${op}: expected a Tensor or a number, got ${v === null ? 'null' : typeof v}`);
    return v;
  }
  const otherDtype = typeof other === 'number' ? 'float32' : other.dtype;
  // an integer beyond int32 promotes like a float (an int32 scalar cannot hold it: tensor() refuses it)
  if (otherDtype === 'float32' || !Number.isInteger(v) || Math.abs(v) > 2147483647) return scalar(v, 'float32');
  // a number is weak (numpy): an in-range integer keeps a uint8 tensor uint8
  return scalar(v, otherDtype === 'uint8' && v >= 0 && v <= 255 ? 'uint8' : 'int32');
}

/** Bring both operands to one dtype; returns tensors created here so the caller can free them. */
function align(op: string, a: Operand, b: Operand, float: boolean): { x: Tensor; y: Tensor; temps: Tensor[] } {
  const temps: Tensor[] = [];
  let x = asTensor(a, b, op);
  let y = asTensor(b, a, op);
  if (x !== a) temps.push(x);
  if (y !== b) temps.push(y);
  const target = float ? 'float32' : promote(x.dtype, y.dtype);
  if (x.dtype !== target) temps.push((x = cast(x, target)));
  if (y.dtype !== target) temps.push((y = cast(y, target)));
  return { x, y, temps };
}

function arithmetic(op: ArithmeticOp, a: Operand, b: Operand): Tensor {
  const { x, y, temps } = align(op, a, b, FLOAT_ONLY.has(op));
  const shape = broadcastShapes(op, x.shape, y.shape);
  const out = run(op, op, [x, y], (be) => be.binary(op, x.info(), y.info(), shape), shape, x.dtype);
  for (const t of temps) t.dispose();
  return out;
}

function compare(op: CompareOp, a: Operand, b: Operand): Tensor {
  const { x, y, temps } = align(op, a, b, false);
  const shape = broadcastShapes(op, x.shape, y.shape);
  const out = run(op, null, [x, y], (be) => be.binary(op, x.info(), y.info(), shape), shape, 'bool');
  for (const t of temps) t.dispose();
  return out;
}

export const add = (a: Operand, b: Operand): Tensor => arithmetic('add', a, b);
export const sub = (a: Operand, b: Operand): Tensor => arithmetic('sub', a, b);
export const mul = (a: Operand, b: Operand): Tensor => arithmetic('mul', a, b);
export const div = (a: Operand, b: Operand): Tensor => arithmetic('div', a, b);
export const pow = (a: Operand, b: Operand): Tensor => arithmetic('pow', a, b);
export const maximum = (a: Operand, b: Operand): Tensor => arithmetic('maximum', a, b);
export const minimum = (a: Operand, b: Operand): Tensor => arithmetic('minimum', a, b);
export const mod = (a: Operand, b: Operand): Tensor => arithmetic('mod', a, b);

export const equal = (a: Operand, b: Operand): Tensor => compare('equal', a, b);
export const notEqual = (a: Operand, b: Operand): Tensor => compare('notEqual', a, b);
export const less = (a: Operand, b: Operand): Tensor => compare('less', a, b);
export const lessEqual = (a: Operand, b: Operand): Tensor => compare('lessEqual', a, b);
export const greater = (a: Operand, b: Operand): Tensor => compare('greater', a, b);
export const greaterEqual = (a: Operand, b: Operand): Tensor => compare('greaterEqual', a, b);
export const logicalAnd = (a: Operand, b: Operand): Tensor => compare('logicalAnd', a, b);
export const logicalOr = (a: Operand, b: Operand): Tensor => compare('logicalOr', a, b);

/** Pick `a` where `condition` holds, else `b`; all three broadcast together. */
export function where(condition: Tensor, a: Operand, b: Operand): Tensor {
  if (condition.dtype !== 'bool') throw new Error(`where: condition must be a bool tensor, got ${condition.dtype}`);
  const { x, y, temps } = align('where', a, b, false);
  const shape = broadcastShapes('where', broadcastShapes('where', condition.shape, x.shape), y.shape);
  const out = run('where', 'where', [condition, x, y], (be) => be.where(condition.info(), x.info(), y.info(), shape), shape, x.dtype);
  for (const t of temps) t.dispose();
  return out;
}

/** Clamp into [lo, hi] (gradient passes where the value was inside). */
export function clipByValue(x: Tensor, lo: number, hi: number): Tensor {
  if (!(lo <= hi)) throw new Error(`clipByValue: min ${lo} must not exceed max ${hi}`);
  const low = maximum(x, lo);
  const out = minimum(low, hi);
  low.dispose();
  return out;
}
