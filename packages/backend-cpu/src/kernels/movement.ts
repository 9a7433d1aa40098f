import { sizeOf, stridesOf, type TypedArray, type Shape } from '@strata/core';

/** out (contiguous, `shape`) = src viewed from `offset` with per-axis `strides`; the last axis is the inner loop. */
function stridedCopy(src: TypedArray, offset: number, shape: Shape, strides: readonly number[], out: TypedArray): void {
  if (out.length === 0) return;
  const rank = shape.length;
  const inner = rank > 0 ? shape[rank - 1] : 1;
  const step = rank > 0 ? strides[rank - 1] : 0;
  const index = new Array<number>(rank).fill(0);
  let s = offset;
  for (let o = 0; o < out.length; o += inner) {
    // Contiguous rows (slices of whole rows, batches of a dataset) copy natively.
    if (step === 1 && inner >= 16) out.set(src.subarray(s, s + inner), o);
    else for (let t = 0; t < inner; t++) out[o + t] = src[s + t * step];
    // Odometer over the outer axes.
    for (let d = rank - 2; d >= 0; d--) {
      s += strides[d];
      if (++index[d] < shape[d]) break;
      s -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
}

export function permute(x: TypedArray, shape: Shape, perm: readonly number[], out: TypedArray): void {
  const strides = stridesOf(shape);
  stridedCopy(x, 0, perm.map((p) => shape[p]), perm.map((p) => strides[p]), out);
}

export function slice(x: TypedArray, shape: Shape, begin: readonly number[], size: readonly number[], out: TypedArray): void {
  const strides = stridesOf(shape);
  const offset = begin.reduce((acc, b, i) => acc + b * strides[i], 0);
  stridedCopy(x, offset, size, strides, out);
}

/** Each input is [outer, chunk] with chunk = its extent along `axis` times the inner size; rows interleave. */
export function concat(xs: readonly { values: TypedArray; shape: Shape }[], axis: number, out: TypedArray): void {
  const outer = sizeOf(xs[0].shape.slice(0, axis));
  const chunks = xs.map(({ shape }) => sizeOf(shape.slice(axis)));
  const rowSize = chunks.reduce((a, b) => a + b, 0);
  xs.forEach(({ values }, i) => {
    const chunk = chunks[i];
    const column = chunks.slice(0, i).reduce((a, b) => a + b, 0);
    for (let o = 0; o < outer; o++) out.set(values.subarray(o * chunk, (o + 1) * chunk), o * rowSize + column);
  });
}

export function gather(x: TypedArray, shape: Shape, indices: Int32Array, out: TypedArray): void {
  const row = sizeOf(shape.slice(1));
  for (let i = 0; i < indices.length; i++) out.set(x.subarray(indices[i] * row, (indices[i] + 1) * row), i * row);
}
