import { sizeOf, type TensorInfo } from '@strata/core';
import { WORKGROUP_SIZE, type GpuContext } from '../context.ts';
import { gpuRef, type GpuRef } from '../gpu-ref.ts';
import { packParams } from '../params.ts';

/** Rows of x along axis 0 picked by int32 indices (range-checked by core). */
export function gather(ctx: GpuContext, x: TensorInfo, indices: TensorInfo): GpuRef {
  const tableRows = x.shape[0];
  const inner = sizeOf(x.shape.slice(1));
  const rows = sizeOf(indices.shape);
  const out = ctx.alloc(rows * inner);
  if (out.elements === 0) return out;
  const pipeline = ctx.pipeline('gather', '', ['common', 'gather']);
  // Split along the gathered rows when a buffer exceeds the binding limit. A table larger than one binding
  // is bound a window of its rows per launch (one launch when it fits).
  const windowRows = Math.max(1, Math.floor(ctx.maxWindowWords / inner));
  const groups = (n: number) => Math.ceil((n * inner) / WORKGROUP_SIZE);
  const maxRows = Math.floor((ctx.maxFlatGroups * WORKGROUP_SIZE) / inner);
  for (let first = 0; first < tableRows; first += windowRows) {
    const count = Math.min(windowRows, tableRows - first);
    const operands = [
      { buffer: gpuRef(x.ref).buffer, stride: 0, span: count * inner, base: first * inner, offsettable: true },
      { buffer: gpuRef(indices.ref).buffer, stride: 1, span: 1 },
      { buffer: out.buffer, stride: inner, span: inner },
    ];
    ctx.runRows('gather', pipeline, rows, operands, (v) => packParams([v.rows * inner, inner, first, count, v.offsets[0]]), groups, maxRows);
  }
  return out;
}
