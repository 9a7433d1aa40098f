import type { TensorInfo } from '../../../core/src/backend.ts';
import { sizeOf, type Shape } from '../../../core/src/shape.ts';
import type { GpuContext } from '../context.ts';
import { gpuRef, type GpuRef } from '../gpu-ref.ts';
import { broadcastStrides, stridedParams } from '../strided-layout.ts';

export function where(ctx: GpuContext, cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): GpuRef {
  const size = sizeOf(outShape);
  const out = ctx.alloc(size);
  const pipeline = ctx.pipeline('where', '', ['common', 'strided', 'where']);
  const params = stridedParams(outShape, [cond, a, b].map((t) => broadcastStrides(t.shape, outShape)));
  ctx.runElementwise(pipeline, params, [cond, a, b].map((t) => gpuRef(t.ref).buffer).concat(out.buffer), size);
  return out;
}
