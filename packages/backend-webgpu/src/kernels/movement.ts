import { sizeOf, stridesOf, type TensorInfo, type Shape } from '@strata/core';
import type { GpuContext } from '../context.ts';
import { gpuRef, type GpuRef } from '../gpu-ref.ts';
import { runStrided } from '../strided-layout.ts';

/** permute, slice and concat: strided copies of 32-bit words (shaders/copy.wgsl), any dtype. */

/** dst[dstOffset + c·dstStrides] = src[srcOffset + c·srcStrides] for every coordinate c of `shape`. */
export function copy(ctx: GpuContext, src: GPUBuffer, dst: GPUBuffer, shape: Shape, srcStrides: readonly number[], dstStrides: readonly number[], srcOffset: number, dstOffset: number): void {
  const pipeline = ctx.pipeline('copy', '', ['common', 'strided', 'copy']);
  runStrided(ctx, 'copy', pipeline, shape, [{ buffer: src, strides: srcStrides, offset: srcOffset }, { buffer: dst, strides: dstStrides, offset: dstOffset }]);
}

export function permute(ctx: GpuContext, x: TensorInfo, perm: readonly number[]): GpuRef {
  const shape = perm.map((p) => x.shape[p]);
  const out = ctx.alloc(sizeOf(shape));
  const strides = stridesOf(x.shape);
  copy(ctx, gpuRef(x.ref).buffer, out.buffer, shape, perm.map((p) => strides[p]), stridesOf(shape), 0, 0);
  return out;
}

export function slice(ctx: GpuContext, x: TensorInfo, begin: readonly number[], size: readonly number[]): GpuRef {
  const out = ctx.alloc(sizeOf(size));
  const strides = stridesOf(x.shape);
  const offset = begin.reduce((acc, b, d) => acc + b * strides[d], 0);
  copy(ctx, gpuRef(x.ref).buffer, out.buffer, size, strides, stridesOf(size), offset, 0);
  return out;
}

/** One copy per input into its band of the output along `axis`. */
export function concat(ctx: GpuContext, xs: readonly TensorInfo[], axis: number): GpuRef {
  const outShape = xs[0].shape.map((d, i) => (i === axis ? xs.reduce((acc, x) => acc + x.shape[axis], 0) : d));
  const out = ctx.alloc(sizeOf(outShape));
  const outStrides = stridesOf(outShape);
  let start = 0;
  for (const x of xs) {
    copy(ctx, gpuRef(x.ref).buffer, out.buffer, x.shape, stridesOf(x.shape), outStrides, 0, start * outStrides[axis]);
    start += x.shape[axis];
  }
  return out;
}
