import type { TensorInfo } from '../../../core/src/backend.ts';
import { sizeOf } from '../../../core/src/shape.ts';
import { WORKGROUP_SIZE, type GpuContext } from '../context.ts';
import { gpuRef, type GpuRef } from '../gpu-ref.ts';
import { packParams } from '../params.ts';

/** Rows of x along axis 0 picked by int32 indices (range-checked by core). */
export function gather(ctx: GpuContext, x: TensorInfo, indices: TensorInfo): GpuRef {
  const inner = sizeOf(x.shape.slice(1));
  const size = sizeOf(indices.shape) * inner;
  const out = ctx.alloc(size);
  const pipeline = ctx.pipeline('gather', '', ['common', 'gather']);
  // split along the gathered rows when a buffer exceeds the binding limit; x is bound whole
  const operands = [
    { buffer: gpuRef(x.ref).buffer, stride: 0, span: Math.max(sizeOf(x.shape), 1) },
    { buffer: gpuRef(indices.ref).buffer, stride: 1, span: 1 },
    { buffer: out.buffer, stride: inner, span: inner },
  ];
  const groups = (rows: number) => Math.ceil((rows * inner) / WORKGROUP_SIZE);
  const maxRows = Math.floor((ctx.maxFlatGroups * WORKGROUP_SIZE) / Math.max(inner, 1));
  ctx.runRows('gather', pipeline, size === 0 ? 0 : sizeOf(indices.shape), operands, (v) => packParams([v.rows * inner, inner]), groups, maxRows);
  return out;
}
