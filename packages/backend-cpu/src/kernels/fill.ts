import type { DType, TypedArray } from '../../../core/src/dtype.ts';
import { allocArray } from '../../../core/src/dtype.ts';
import type { Shape } from '../../../core/src/shape.ts';
import { sizeOf } from '../../../core/src/shape.ts';

export function fill(shape: Shape, value: number, dtype: DType): TypedArray {
  return allocArray(dtype, sizeOf(shape)).fill(dtype === 'bool' ? Number(value !== 0) : value);
}
