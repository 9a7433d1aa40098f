import { COMPARE_OPS, sizeOf, type ArithmeticOp, type BinaryKernels, type BinaryOp, type TensorInfo, type Shape } from '@strata/core';
import type { GpuContext } from '../context.ts';
import { gpuRef, wordType, type GpuRef, type WordType } from '../gpu-ref.ts';
import { flatPrelude, runFlat, widthFor } from '../flat.ts';
import { broadcastStrides, runStrided } from '../strided-layout.ts';
import { FROM_F32 } from './unary.ts';

/** WGSL for op(a, b) per storage type. Comparisons yield a bool word (u32 0/1). */
type Expr = (a: string, b: string) => string;
interface BinaryWgsl { readonly f32: Expr; readonly i32?: Expr; readonly u32?: Expr }

const test = (cond: Expr): Expr => (a, b) => `select(0u, 1u, ${cond(a, b)})`;
const same = (f: Expr): BinaryWgsl => ({ f32: f, i32: f, u32: f });
const wrapU8 = (f: Expr): Expr => (a, b) => `(${f(a, b)}) & 255u`;

/** div and pow are float-only in core; on integers they compute in f32 and store like a typed array. */
const OPS: BinaryKernels<BinaryWgsl> = {
  add: { f32: (a, b) => `${a} + ${b}`, i32: (a, b) => `${a} + ${b}`, u32: wrapU8((a, b) => `${a} + ${b}`) },
  sub: { f32: (a, b) => `${a} - ${b}`, i32: (a, b) => `${a} - ${b}`, u32: wrapU8((a, b) => `${a} - ${b}`) },
  mul: { f32: (a, b) => `${a} * ${b}`, i32: (a, b) => `${a} * ${b}`, u32: wrapU8((a, b) => `${a} * ${b}`) },
  div: { f32: (a, b) => `${a} / ${b}` },
  pow: { f32: (a, b) => `pow_f32(${a}, ${b})` },
  maximum: { f32: (a, b) => `maximum_f32(${a}, ${b})`, i32: (a, b) => `max(${a}, ${b})`, u32: (a, b) => `max(${a}, ${b})` },
  minimum: { f32: (a, b) => `minimum_f32(${a}, ${b})`, i32: (a, b) => `min(${a}, ${b})`, u32: (a, b) => `min(${a}, ${b})` },
  mod: { f32: (a, b) => `mod_f32(${a}, ${b})`, i32: (a, b) => `mod_i32(${a}, ${b})`, u32: (a, b) => `select(${a} % ${b}, 0u, ${b} == 0u)` },
  equal: same(test((a, b) => `${a} == ${b}`)),
  notEqual: { ...same(test((a, b) => `${a} != ${b}`)), f32: test((a, b) => `notEqual_f32(${a}, ${b})`) },
  less: same(test((a, b) => `${a} < ${b}`)),
  lessEqual: same(test((a, b) => `${a} <= ${b}`)),
  greater: same(test((a, b) => `${a} > ${b}`)),
  greaterEqual: same(test((a, b) => `${a} >= ${b}`)),
  logicalAnd: same(test((a, b) => `${a} != In(0) && ${b} != In(0)`)),
  logicalOr: same(test((a, b) => `${a} != In(0) || ${b} != In(0)`)),
};

const COMPARES: ReadonlySet<BinaryOp> = new Set(COMPARE_OPS);

/** An arithmetic op on f32 WGSL values (fused programs use it). */
export const binaryF32 = (op: ArithmeticOp, a: string, b: string): string => OPS[op].f32(a, b);

function opExpr(op: BinaryOp, t: WordType): string {
  const own = OPS[op][t];
  return own ? own('a', 'b') : FROM_F32[t](OPS[op].f32('f32(a)', 'f32(b)'));
}

export function binary(ctx: GpuContext, op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): GpuRef {
  const size = sizeOf(outShape);
  const out = ctx.alloc(size);
  const t = wordType(a.dtype);
  const outType = COMPARES.has(op) ? 'u32' : t;
  const prelude = `alias In = ${t};\nalias Out = ${outType};\nfn op(a: In, b: In) -> Out { return ${opExpr(op, t)}; }`;
  const buffers = [a, b].map((x) => gpuRef(x.ref).buffer);
  // Operands of the output's size are contiguous in its layout; size 1 is a scalar: no index math needed.
  const scalar = [a, b].map((x) => sizeOf(x.shape) === 1 && size !== 1);
  if ([a, b].every((x, j) => scalar[j] || sizeOf(x.shape) === size)) {
    const width = widthFor(size);
    const units = flatPrelude([{ name: 'a', type: t, scalar: scalar[0] }, { name: 'b', type: t, scalar: scalar[1] }], { name: 'out', type: outType, scalar: false }, width);
    const pipeline = ctx.pipeline(`binary-flat:${op}:${t}:${scalar.join()}:${width}`, `${prelude}\n${units}`, ['common', 'math', 'binary-flat', 'flat']);
    runFlat(ctx, `binary ${op}`, pipeline, [...buffers, out.buffer], [...scalar, false], size, width);
    return out;
  }
  const pipeline = ctx.pipeline(`binary:${op}:${t}`, prelude, ['common', 'math', 'strided', 'binary']);
  const operands = [a, b].map((x, j) => ({ buffer: buffers[j], strides: broadcastStrides(x.shape, outShape) }));
  runStrided(ctx, `binary ${op}`, pipeline, outShape, operands, out.buffer);
  return out;
}
