import { stridesOf, type Shape } from '@strata/core';
import { WORKGROUP_SIZE, type GpuContext } from './context.ts';
import { packParams } from './params.ts';

/** Rank the `Strided` uniform of shaders/strided.wgsl holds. */
const MAX_STRIDED_RANK = 8;

/** Strides of `shape` when broadcast to `outShape` (ranks aligned at the end; size-1 axes get stride 0). */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const own = stridesOf(shape);
  const lead = outShape.length - shape.length;
  return outShape.map((_, d) => (d < lead || shape[d - lead] === 1 ? 0 : own[d - lead]));
}

/** A walk over `dims` (row-major) reading each operand through its strides. */
interface StridedLayout {
  readonly dims: number[];
  readonly strides: number[][];
}

/**
 * Size-1 axes are dropped and adjacent axes contiguous in every operand are merged, so the common cases
 * (same shapes, scalar broadcast, row broadcast) walk rank 1 or 2. Never rank 0: a scalar walks [1].
 */
function mergeAxes(shape: Shape, strides: readonly (readonly number[])[]): StridedLayout {
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
  return dims.length ? { dims, strides: ss } : { dims: [1], strides: ss.map(() => [0]) };
}

/** The `Strided` uniform: `rows` of the layout's first axis, operands starting at `offsets`. */
function pack(layout: StridedLayout, rows: number, offsets: readonly number[]): Uint32Array {
  const dims = [rows, ...layout.dims.slice(1)];
  const field = (values: readonly number[]) => Array.from({ length: MAX_STRIDED_RANK }, (_, i) => values[i] ?? 0);
  const size = dims.reduce((a, b) => a * b, 1);
  const ss = layout.strides;
  return packParams([
    size, dims.length, offsets[0] ?? 0, offsets[1] ?? 0, offsets[2] ?? 0, 0, 0, 0,
    ...field(dims), ...field(ss[0] ?? []), ...field(ss[1] ?? []), ...field(ss[2] ?? []),
  ]);
}

/** An operand read (or written) through strides, from word `offset`. */
export interface StridedOperand {
  readonly buffer: GPUBuffer;
  readonly strides: readonly number[];
  readonly offset?: number;
}

/**
 * One thread per element of `shape`, operands addressed by shaders/strided.wgsl; `out`, when given, is
 * written at the element's linear index (binary, where). Split along the first merged axis when a buffer
 * exceeds the binding limit: strided operands absorb unaligned window starts in their offsets.
 */
export function runStrided(ctx: GpuContext, what: string, pipeline: GPUComputePipeline, shape: Shape, operands: readonly StridedOperand[], out?: GPUBuffer): void {
  const layout = mergeAxes(shape, operands.map((op) => op.strides));
  launch(ctx, what, pipeline, layout, operands.map((op) => op.buffer), operands.map((op) => op.offset ?? 0), out);
}

function launch(ctx: GpuContext, what: string, pipeline: GPUComputePipeline, layout: StridedLayout, buffers: readonly GPUBuffer[], bases: readonly number[], out?: GPUBuffer): void {
  const inner = layout.dims.slice(1);
  const rowWords = inner.reduce((a, b) => a * b, 1);
  const access = buffers.map((buffer, j) => ({
    buffer,
    stride: layout.strides[j][0],
    span: 1 + inner.reduce((acc, d, i) => acc + (d - 1) * layout.strides[j][i + 1], 0),
    base: bases[j],
    offsettable: true,
  }));
  // A row wider than a binding (a transpose of a big matrix): one launch per row, split along the next axis.
  // Only when every operand is strided: a linear `out` needs aligned row starts.
  if (!out && inner.length > 0 && access.some((a) => a.span > ctx.maxWindowWords)) {
    const rest = { dims: inner, strides: layout.strides.map((s) => s.slice(1)) };
    for (let r = 0; r < layout.dims[0]; r++) launch(ctx, what, pipeline, rest, buffers, access.map((a) => a.base + r * a.stride));
    return;
  }
  const rows = access.concat(out ? [{ buffer: out, stride: rowWords, span: rowWords, base: 0, offsettable: false }] : []);
  const groups = (n: number) => Math.ceil((n * rowWords) / WORKGROUP_SIZE);
  const maxRows = Math.floor((ctx.maxFlatGroups * WORKGROUP_SIZE) / Math.max(rowWords, 1));
  ctx.runRows(what, pipeline, layout.dims[0] * Number(rowWords > 0), rows, (v) => pack(layout, v.rows, v.offsets), groups, maxRows);
}
