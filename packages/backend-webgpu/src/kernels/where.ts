import { sizeOf, type TensorInfo, type Shape } from '@strata/core';
import type { GpuContext } from '../context.ts';
import { gpuRef, type GpuRef } from '../gpu-ref.ts';
import { broadcastStrides, runStrided } from '../strided-layout.ts';

export function where(ctx: GpuContext, cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): GpuRef {
  const size = sizeOf(outShape);
  const out = ctx.alloc(size);
  const pipeline = ctx.pipeline('where', '', ['common', 'strided', 'where']);
  const operands = [cond, a, b].map((t) => ({ buffer: gpuRef(t.ref).buffer, strides: broadcastStrides(t.shape, outShape) }));
  runStrided(ctx, 'where', pipeline, outShape, operands, out.buffer);
  return out;
}
