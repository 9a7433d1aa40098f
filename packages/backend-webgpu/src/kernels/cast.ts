import type { TensorInfo, DType } from '@strata/core';
import type { GpuContext } from '../context.ts';
import { wordType, type GpuRef } from '../gpu-ref.ts';
import { FROM_F32, map } from './unary.ts';

/** WGSL converting `x` (stored as the source dtype's word) to the target dtype, like numpy's astype. */
function convert(from: DType, to: DType): string {
  if (to === 'bool') return from === 'float32' ? 'select(0u, 1u, x != 0.0 || isNan(x))' : `select(0u, 1u, x != ${wordType(from)}(0))`;
  if (from === 'float32') return FROM_F32[wordType(to)]('x');
  if (to === 'float32') return 'f32(x)';
  if (to === 'int32') return 'i32(x)';
  return from === 'int32' ? 'u32(x) & 255u' : 'x'; // to uint8
}

export function cast(ctx: GpuContext, x: TensorInfo, dtype: DType): GpuRef {
  return map(ctx, `cast:${x.dtype}:${dtype}`, x, wordType(x.dtype), wordType(dtype), convert(x.dtype, dtype));
}
