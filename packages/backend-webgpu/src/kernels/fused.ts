import { sizeOf, type FusedExpr, type FusedProgram, type TensorInfo, type Shape } from '@strata/core';
import type { GpuContext } from '../context.ts';
import { flatPrelude, runFlat, widthFor } from '../flat.ts';
import { gpuRef, type GpuRef } from '../gpu-ref.ts';
import { binaryF32 } from './binary.ts';
import { unaryF32 } from './unary.ts';

/**
 * WGSL `fn op(x0: f32, …) -> f32` for a program: one `let` per node, children first, so a value used
 * twice (square's x · x, NaN checks) is computed once. Constants are read from the `constants` binding.
 */
function opFunction(expr: FusedExpr, inputs: number): string {
  const lines: string[] = [];
  const node = (e: FusedExpr): string => {
    const value =
      'input' in e ? `x${e.input}`
      : 'constant' in e ? `constants[${e.constant}]`
      : 'unary' in e ? unaryF32(e.unary, node(e.x))
      : binaryF32(e.binary, node(e.a), node(e.b));
    lines.push(`  let t${lines.length} = ${value};`);
    return `t${lines.length - 1}`;
  };
  const result = node(expr);
  const params = Array.from({ length: inputs }, (_, i) => `x${i}: f32`).join(', ');
  return `fn op(${params}) -> f32 {\n${lines.join('\n')}\n  return ${result};\n}`;
}

/**
 * A fused program as one flat launch (shaders/flat.wgsl): inputs x0… at bindings 1…, the output after
 * them, then the constants (uploaded per call, so changing a learning rate compiles nothing). Inputs are
 * the output's size or one element; 4 elements per thread (vec4 lanes) when the size allows.
 */
export function fused(ctx: GpuContext, inputs: readonly TensorInfo[], program: FusedProgram, outShape: Shape): GpuRef {
  const size = sizeOf(outShape);
  const out = ctx.alloc(size);
  if (size === 0) return out;
  const width = widthFor(size);
  const scalar = inputs.map((x) => sizeOf(x.shape) === 1 && size !== 1);
  const operands = inputs.map((_, i) => ({ name: `x${i}`, type: 'f32', scalar: scalar[i] }));
  const n = inputs.length;
  const hasConstants = program.constants.length > 0;
  const bindings = [
    ...operands.map((o, i) => `@group(0) @binding(${i + 1}) var<storage, read> ${o.name}: array<X${i}Unit>;`),
    `@group(0) @binding(${n + 1}) var<storage, read_write> out: array<OutUnit>;`,
    ...(hasConstants ? [`@group(0) @binding(${n + 2}) var<storage, read> constants: array<f32>;`] : []),
    `fn unit(i: u32) { out[i] = apply(${operands.map((o) => `${o.name}[select(i, 0u, ${o.name.toUpperCase()}_SCALAR)]`).join(', ')}); }`,
  ];
  const code = [opFunction(program.expr, n), flatPrelude(operands, { name: 'out', type: 'f32', scalar: false }, width), ...bindings].join('\n');
  // the program's text is its cache key: equal programs share a pipeline whatever their constants' values
  const pipeline = ctx.pipeline(`fused:${width}:${scalar.join()}:${JSON.stringify(program.expr)}`, code, ['common', 'math', 'flat']);
  const buffers = [...inputs.map((x) => gpuRef(x.ref).buffer), out.buffer];
  const flags = [...scalar, false];
  let constants: GpuRef | undefined;
  if (hasConstants) {
    constants = ctx.alloc(program.constants.length);
    ctx.device.queue.writeBuffer(constants.buffer, 0, Float32Array.from(program.constants));
    buffers.push(constants.buffer);
    flags.push(true);
  }
  runFlat(ctx, 'fused', pipeline, buffers, flags, size, width);
  if (constants) ctx.pool.release(constants.buffer); // reusable once the launch reading it is submitted
  return out;
}
