import type { DType, TypedArray } from '@strata/core';

export function fill(value: number, dtype: DType, out: TypedArray): void {
  out.fill(dtype === 'bool' ? Number(value !== 0) : value);
}
