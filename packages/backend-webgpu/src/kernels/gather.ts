import type { TensorInfo } from '../../../core/src/backend.ts';
import { sizeOf } from '../../../core/src/shape.ts';
import type { GpuContext } from '../context.ts';
import { gpuRef, type GpuRef } from '../gpu-ref.ts';
import { packParams } from '../params.ts';

/** Rows of x along axis 0 picked by int32 indices (range-checked by core). */
export function gather(ctx: GpuContext, x: TensorInfo, indices: TensorInfo): GpuRef {
  const inner = sizeOf(x.shape.slice(1));
  const size = sizeOf(indices.shape) * inner;
  const out = ctx.alloc(size);
  const pipeline = ctx.pipeline('gather', '', ['common', 'gather']);
  ctx.runElementwise(pipeline, packParams([size, inner]), [gpuRef(x.ref).buffer, gpuRef(indices.ref).buffer, out.buffer], size);
  return out;
}
