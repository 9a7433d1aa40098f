import type { DType, TypedArray } from '../../../core/src/dtype.ts';
import { allocArray } from '../../../core/src/dtype.ts';
import type { Shape } from '../../../core/src/shape.ts';
import { sizeOf, stridesOf } from '../../../core/src/shape.ts';

/** out (contiguous, `shape`) = src viewed from `offset` with per-axis `strides`; the last axis is the inner loop. */
function stridedCopy(src: TypedArray, offset: number, shape: Shape, strides: readonly number[], dtype: DType): TypedArray {
  const out = allocArray(dtype, sizeOf(shape));
  if (out.length === 0) return out;
  const rank = shape.length;
  const inner = rank > 0 ? shape[rank - 1] : 1;
  const step = rank > 0 ? strides[rank - 1] : 0;
  const index = new Array<number>(rank).fill(0);
  let s = offset;
  for (let o = 0; o < out.length; o += inner) {
    for (let t = 0; t < inner; t++) out[o + t] = src[s + t * step];
    // Odometer over the outer axes.
    for (let d = rank - 2; d >= 0; d--) {
      s += strides[d];
      if (++index[d] < shape[d]) break;
      s -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
  return out;
}

export function permute(x: TypedArray, shape: Shape, dtype: DType, perm: readonly number[]): TypedArray {
  const strides = stridesOf(shape);
  return stridedCopy(x, 0, perm.map((p) => shape[p]), perm.map((p) => strides[p]), dtype);
}

export function slice(x: TypedArray, shape: Shape, dtype: DType, begin: readonly number[], size: readonly number[]): TypedArray {
  const strides = stridesOf(shape);
  const offset = begin.reduce((acc, b, i) => acc + b * strides[i], 0);
  return stridedCopy(x, offset, size, strides, dtype);
}

/** Each input is [outer, chunk] with chunk = its extent along `axis` times the inner size; rows interleave. */
export function concat(xs: readonly { values: TypedArray; shape: Shape }[], axis: number, dtype: DType): TypedArray {
  const outer = sizeOf(xs[0].shape.slice(0, axis));
  const chunks = xs.map(({ shape }) => sizeOf(shape.slice(axis)));
  const rowSize = chunks.reduce((a, b) => a + b, 0);
  const out = allocArray(dtype, outer * rowSize);
  xs.forEach(({ values }, i) => {
    const chunk = chunks[i];
    const column = chunks.slice(0, i).reduce((a, b) => a + b, 0);
    for (let o = 0; o < outer; o++) out.set(values.subarray(o * chunk, (o + 1) * chunk), o * rowSize + column);
  });
  return out;
}

export function gather(x: TypedArray, shape: Shape, dtype: DType, indices: Int32Array): TypedArray {
  const row = sizeOf(shape.slice(1));
  const out = allocArray(dtype, indices.length * row);
  for (let i = 0; i < indices.length; i++) out.set(x.subarray(indices[i] * row, (indices[i] + 1) * row), i * row);
  return out;
}
