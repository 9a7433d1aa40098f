import type { MatmulSpec, TensorInfo } from '../../../core/src/backend.ts';
import type { GpuContext, Groups } from '../context.ts';
import { gpuRef, type GpuRef } from '../gpu-ref.ts';
import { packParams } from '../params.ts';

/** Rows/columns of C per workgroup of the tiled kernel (16×16 threads × 4×4 blocks). */
const TILE = 64;
/**
 * Up to this many rows the skinny kernel (a thread per 4 outputs) wins: the 64-row tiles would idle. For few
 * columns the tiles still win on SwiftShader (128×512×10: 0.50 vs 0.31 GFLOP/s), so n does not matter.
 */
const SKINNY = 16;
/** Threads per workgroup of the skinny kernel. */
const SKINNY_THREADS = 64;

/**
 * How an operand is loaded (see shaders/matmul.wgsl): 0 = strided scalars; 1 = vec4 along its row-major
 * inner axis (k for A, n for B); 2 = vec4 along the other axis (m for a transposed A, k for a transposed B).
 */
type Mode = 0 | 1 | 2;

/** WGSL accessors for operand `name`: element type, one float at i, four floats at i (a multiple of 4). */
function accessors(name: 'a' | 'b', vec4: boolean): string {
  const elem = `alias ${name.toUpperCase()}Elem = ${vec4 ? 'vec4<f32>' : 'f32'};`;
  const at = vec4 ? `${name}[i >> 2u][i & 3u]` : `${name}[i]`;
  const quad = vec4 ? `${name}[i >> 2u]` : `vec4<f32>(${name}[i], ${name}[i + 1u], ${name}[i + 2u], ${name}[i + 3u])`;
  return `${elem}\nfn ${name}At(i: u32) -> f32 { return ${at}; }\nfn ${name}Quad(i: u32) -> vec4<f32> { return ${quad}; }`;
}

function modes(spec: MatmulSpec): [Mode, Mode] {
  const { m, k, n } = spec;
  const a: Mode = spec.transA ? (m % 4 === 0 ? 2 : 0) : k % 4 === 0 ? 1 : 0;
  const b: Mode = spec.transB ? (k % 4 === 0 ? 2 : 0) : n % 4 === 0 ? 1 : 0;
  return [a, b];
}

/** Batched C = op(A)·op(B) (+ bias, then relu), float32. */
export function matmul(ctx: GpuContext, a: TensorInfo, b: TensorInfo, spec: MatmulSpec): GpuRef {
  const { batch, m, k, n } = spec;
  const out = ctx.alloc(batch * m * n);
  if (out.elements === 0) return out;
  const skinny = m <= SKINNY;
  // The skinny kernel reads scalars only, so it needs no vec4 layouts.
  const [aMode, bMode] = skinny ? [0, 0] : modes(spec);
  const flags = `const A_MODE = ${aMode}u;\nconst B_MODE = ${bMode}u;\nconst HAS_BIAS = ${spec.bias !== undefined};\nconst RELU = ${spec.activation === 'relu'};`;
  const prelude = `${flags}\n${accessors('a', aMode !== 0)}\n${accessors('b', bMode !== 0)}`;
  const kernel = skinny ? 'matmul-skinny' : 'matmul';
  const pipeline = ctx.pipeline(`${kernel}:${aMode}${bMode}:${spec.bias !== undefined}:${spec.activation ?? ''}`, prelude, ['matmul-common', kernel]);

  const groupsPerRow = Math.ceil(n / 4);
  // Split when a buffer exceeds the binding limit or the grid its limit: by rows of A (one matrix, A not
  // transposed: its rows are contiguous), else by batch. Whatever is not split is bound whole.
  const byRows = batch === 1 && !spec.transA;
  const operands = [
    byRows ? { buffer: gpuRef(a.ref).buffer, stride: k, span: k } : { buffer: gpuRef(a.ref).buffer, stride: spec.batchA === 1 ? 0 : m * k, span: m * k },
    { buffer: gpuRef(b.ref).buffer, stride: byRows || spec.batchB === 1 ? 0 : k * n, span: k * n },
    spec.bias ? { buffer: gpuRef(spec.bias.ref).buffer, stride: 0, span: n } : { buffer: ctx.dummy, stride: 0, span: 4 },
    { buffer: out.buffer, stride: byRows ? n : m * n, span: byRows ? n : m * n },
  ];
  const shape = (rows: number) => (byRows ? { rows, mats: 1 } : { rows: m, mats: rows });
  const params = (chunkRows: number) => {
    const s = shape(chunkRows);
    return packParams([
      s.rows, n, k, spec.batchA === 1 ? 0 : m * k,
      spec.batchB === 1 ? 0 : k * n, spec.transA ? 1 : k, spec.transA ? m : 1, spec.transB ? 1 : n,
      spec.transB ? k : 1, groupsPerRow, s.mats * s.rows * groupsPerRow, 0,
    ]);
  };
  const groups = (chunkRows: number): Groups => {
    const s = shape(chunkRows);
    return skinny ? Math.ceil((s.mats * s.rows * groupsPerRow) / SKINNY_THREADS) : [Math.ceil(n / TILE), Math.ceil(s.rows / TILE), s.mats];
  };
  const skinnyRows = Math.floor((ctx.maxFlatGroups * SKINNY_THREADS) / (groupsPerRow * (byRows ? 1 : m)));
  const maxRows = skinny ? skinnyRows : byRows ? ctx.maxGroupsPerDim * TILE : ctx.maxGroupsPerDim;
  ctx.runRows('matmul', pipeline, byRows ? m : batch, operands, (v) => params(v.rows), groups, maxRows);
  return out;
}
