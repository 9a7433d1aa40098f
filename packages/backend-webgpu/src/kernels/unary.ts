import { sizeOf, type FusedUnaryOp, type TensorInfo, type UnaryKernels, type UnaryOp } from '@strata/core';
import type { GpuContext } from '../context.ts';
import { gpuRef, wordType, type GpuRef, type WordType } from '../gpu-ref.ts';
import { flatPrelude, runFlat, widthFor } from '../flat.ts';

/** WGSL for op(x) per storage type; `(x) => expr`. */
type Expr = (x: string) => string;
interface UnaryWgsl { readonly f32: Expr; readonly i32?: Expr; readonly u32?: Expr }

/**
 * Float-only ops (core converts integers to float32 first) have no integer form: on integers they
 * compute in f32 and store like a typed array would.
 */
const OPS: UnaryKernels<UnaryWgsl> = {
  neg: { f32: (x) => `-${x}`, i32: (x) => `-${x}`, u32: (x) => `(0u - ${x}) & 255u` },
  abs: { f32: (x) => `abs(${x})`, i32: (x) => `abs(${x})`, u32: (x) => x },
  exp: { f32: (x) => `exp(${x})` },
  log: { f32: (x) => `log_f32(${x})` },
  sqrt: { f32: (x) => `sqrt_f32(${x})` },
  rsqrt: { f32: (x) => `1.0 / sqrt_f32(${x})` },
  square: { f32: (x) => `${x} * ${x}`, i32: (x) => `${x} * ${x}`, u32: (x) => `(${x} * ${x}) & 255u` },
  relu: { f32: (x) => `select(${x}, 0.0, ${x} < 0.0)`, i32: (x) => `max(${x}, 0)`, u32: (x) => x },
  sigmoid: { f32: (x) => `1.0 / (1.0 + exp(-${x}))` },
  tanh: { f32: (x) => `tanh_f32(${x})` },
  sign: { f32: (x) => `sign(${x})`, i32: (x) => `sign(${x})`, u32: (x) => `min(${x}, 1u)` },
  floor: { f32: (x) => `floor(${x})`, i32: (x) => x, u32: (x) => x },
  ceil: { f32: (x) => `ceil(${x})`, i32: (x) => x, u32: (x) => x },
  round: { f32: (x) => `round(${x})`, i32: (x) => x, u32: (x) => x }, // WGSL round is half-to-even
  reciprocal: { f32: (x) => `1.0 / ${x}` },
  sin: { f32: (x) => `sin_f32(${x})` },
  cos: { f32: (x) => `cos_f32(${x})` },
  logicalNot: { f32: (x) => `select(0u, 1u, ${x} == 0.0)`, i32: (x) => `select(0u, 1u, ${x} == 0)`, u32: (x) => `select(0u, 1u, ${x} == 0u)` },
};

/** Converts an f32 expression to a storage type as a typed-array store would. */
export const FROM_F32: Readonly<Record<WordType, Expr>> = { f32: (v) => v, i32: (v) => `f2i(${v})`, u32: (v) => `f2u8(${v})` };

/** A float op on the f32 WGSL value `x` (a name: it appears more than once); fused programs use it too. */
export function unaryF32(op: FusedUnaryOp, x: string): string {
  // SwiftShader's builtins turn NaN into numbers (exp(NaN) = Inf, sign(NaN) = 0): pass NaN through.
  return `select(${OPS[op].f32(x)}, ${x}, isNan(${x}))`;
}

function opExpr(op: UnaryOp, t: WordType): string {
  const own = OPS[op][t];
  if (!own) return FROM_F32[t](OPS[op].f32('f32(x)'));
  return t === 'f32' && op !== 'logicalNot' ? unaryF32(op, 'x') : own('x');
}

/** y = fn(x) element-wise with `fn` given as WGSL, shared by the unary ops and casts. */
export function map(ctx: GpuContext, key: string, x: TensorInfo, inType: WordType, outType: WordType, body: string): GpuRef {
  const size = sizeOf(x.shape);
  const out = ctx.alloc(size);
  const width = widthFor(size);
  const op = `alias In = ${inType};\nalias Out = ${outType};\nfn op(x: In) -> Out { return ${body}; }`;
  const units = flatPrelude([{ name: 'x', type: inType, scalar: false }], { name: 'y', type: outType, scalar: false }, width);
  const pipeline = ctx.pipeline(`${key}:${width}`, `${op}\n${units}`, ['common', 'math', 'unary', 'flat']);
  runFlat(ctx, key, pipeline, [gpuRef(x.ref).buffer, out.buffer], [false, false], size, width);
  return out;
}

export function unary(ctx: GpuContext, op: UnaryOp, x: TensorInfo): GpuRef {
  const t = wordType(x.dtype);
  const outType = op === 'logicalNot' ? 'u32' : t;
  return map(ctx, `unary:${op}:${t}`, x, t, outType, opExpr(op, t));
}
