import { stridesOf, type Shape } from '../../core/src/shape.ts';
import { packParams } from './params.ts';

/** Rank the `Strided` uniform of shaders/strided.wgsl holds. */
const MAX_STRIDED_RANK = 8;

/** Strides of `shape` when broadcast to `outShape` (ranks aligned at the end; size-1 axes get stride 0). */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const own = stridesOf(shape);
  const lead = outShape.length - shape.length;
  return outShape.map((_, d) => (d < lead || shape[d - lead] === 1 ? 0 : own[d - lead]));
}

/**
 * The `Strided` uniform for walking `shape` with up to three operands given by strides and offsets.
 * Size-1 axes are dropped and adjacent axes contiguous in every operand are merged, so the common cases
 * (same shapes, scalar broadcast, row broadcast) walk rank 1 or 2.
 */
export function stridedParams(shape: Shape, strides: readonly (readonly number[])[], offsets: readonly number[] = []): Uint32Array {
  const dims: number[] = [];
  const ss: number[][] = strides.map(() => []);
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && strides.every((s, j) => ss[j][last] === s[d] * shape[d])) {
      dims[last] *= shape[d];
      strides.forEach((s, j) => (ss[j][last] = s[d]));
    } else {
      dims.push(shape[d]);
      strides.forEach((s, j) => ss[j].push(s[d]));
    }
  }
  if (dims.length > MAX_STRIDED_RANK) throw new Error(`webgpu: rank ${dims.length} exceeds the strided kernels' ${MAX_STRIDED_RANK}`);
  const field = (values: readonly number[]) => Array.from({ length: MAX_STRIDED_RANK }, (_, i) => values[i] ?? 0);
  const size = dims.reduce((a, b) => a * b, 1);
  return packParams([
    size, dims.length, offsets[0] ?? 0, offsets[1] ?? 0, offsets[2] ?? 0, 0, 0, 0,
    ...field(dims), ...field(ss[0] ?? []), ...field(ss[1] ?? []), ...field(ss[2] ?? []),
  ]);
}
