import type { DType, TypedArray } from '@strata/core';

/**
 * Casts by the rule WebGPU's kernels follow (common.wgsl `f2i`, `f2u8`): float32 to int32 truncates toward
 * zero, NaN and ±Infinity give 0, and finite values out of range saturate to the int32 ends a float32 can
 * hold (-2^31 and 2^31 - 128; a plain typed-array store would wrap 3e9 to a negative number). To uint8, an
 * int32 wraps modulo 256 and a float32 is first converted as to int32. To bool is `!= 0` (NaN is truthy).
 */
export function cast(x: TypedArray, dtype: DType, out: TypedArray): void {
  if (dtype === 'bool') for (let i = 0; i < x.length; i++) out[i] = x[i] !== 0 ? 1 : 0;
  else if (x instanceof Float32Array && dtype !== 'float32') for (let i = 0; i < x.length; i++) out[i] = toInt32(x[i]);
  else out.set(x);
}

/** The largest float32 below 2^31. */
const INT32_TOP = 2147483520;
const INT32_BOTTOM = -2147483648;

function toInt32(v: number): number {
  if (!Number.isFinite(v)) return 0;
  return v >= INT32_TOP ? INT32_TOP : v <= INT32_BOTTOM ? INT32_BOTTOM : Math.trunc(v);
}
