import { sizeOf, type DType, type Shape } from '@strata/core';
import type { GpuContext } from '../context.ts';
import type { GpuRef } from '../gpu-ref.ts';
import { f32Bits, packParams } from '../params.ts';

/** The 32-bit word a dtype stores for `value` (typed-array conversion: int truncation, uint8 wrap, bool 0/1). */
function wordOf(value: number, dtype: DType): number {
  switch (dtype) {
    case 'float32': return f32Bits(value);
    case 'int32': return Int32Array.of(value)[0];
    case 'uint8': return Uint8Array.of(value)[0];
    case 'bool': return value !== 0 ? 1 : 0;
  }
}

export function fill(ctx: GpuContext, shape: Shape, value: number, dtype: DType): GpuRef {
  const size = sizeOf(shape);
  const out = ctx.alloc(size);
  const pipeline = ctx.pipeline('fill', '', ['common', 'fill']);
  ctx.runElementwise('fill', pipeline, [out.buffer], size, (n) => packParams([n, wordOf(value, dtype)]));
  return out;
}
