import type { DType, TypedArray } from '@strata/core';

/**
 * Typed-array conversion already gives numpy's casts: to int32 truncates toward zero (NaN → 0), to
 * uint8 wraps modulo 256. Only bool needs `!= 0` (NaN is truthy).
 */
export function cast(x: TypedArray, dtype: DType, out: TypedArray): void {
  if (dtype === 'bool') for (let i = 0; i < x.length; i++) out[i] = x[i] !== 0 ? 1 : 0;
  else out.set(x);
}
