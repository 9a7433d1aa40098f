import type { MatmulSpec, TensorInfo } from '@strata/core';
import type { GpuContext, Groups, RowsView } from '../context.ts';
import { gpuRef, type GpuRef } from '../gpu-ref.ts';
import { packParams } from '../params.ts';
import type { RowAccess } from '../split.ts';
import { permute } from './movement.ts';

/** Rows/columns of C per workgroup of the tiled kernel (16×16 threads × 4×4 blocks), for adapters without 4-lane subgroups. */
const TILE = 64;
/**
 * Up to this many rows the skinny kernel (a thread per 4 outputs) wins: the 64-row tiles would idle. For few
 * columns the tiles still win on SwiftShader (128×512×10: 0.50 vs 0.31 GFLOP/s), so n does not matter.
 */
const SKINNY = 16;
/** Threads per workgroup of the skinny kernel. */
const SKINNY_THREADS = 64;
/**
 * Rows × columns of C per workgroup of the quad kernel (one subgroup of 4 lanes × 8 rows × 4 columns), used
 * instead of the tiled one where subgroups are exactly 4 lanes (SwiftShader). It shares A's rows between lanes
 * by subgroupBroadcast; on SwiftShader (2 cores) 784×128×512 transA 1.4 → 3.0 and 128×784×512 1.7 → 3.3 GFLOP/s.
 */
const QUAD_ROWS = 8;
const QUAD_COLS = 16;

/** Whether `device` runs the quad kernel: subgroups enabled and always 4 lanes. */
function hasQuads(device: GPUDevice): boolean {
  const info = device.adapterInfo;
  return device.features.has('subgroups') && info?.subgroupMinSize === 4 && info.subgroupMaxSize === 4;
}

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

function modes(m: number, k: number, n: number, transA: boolean, transB: boolean): [Mode, Mode] {
  const a: Mode = transA ? (m % 4 === 0 ? 2 : 0) : k % 4 === 0 ? 1 : 0;
  const b: Mode = transB ? (k % 4 === 0 ? 2 : 0) : n % 4 === 0 ? 1 : 0;
  return [a, b];
}

/** The matrices of x ([mats, rows, cols]) transposed into a new buffer ([mats, cols, rows]). */
function transposed(ctx: GpuContext, x: TensorInfo, mats: number, rows: number, cols: number): GpuRef {
  return permute(ctx, { ...x, shape: [mats, rows, cols] }, [0, 2, 1]);
}

/** Batched C = op(A)·op(B) (+ bias, then relu), float32. */
export function matmul(ctx: GpuContext, a: TensorInfo, b: TensorInfo, spec: MatmulSpec): GpuRef {
  const { batch, m, k, n } = spec;
  const out = ctx.alloc(batch * m * n);
  if (out.elements === 0) return out;
  const room = ctx.maxWindowWords;
  const skinny = m <= SKINNY;
  const quad = !skinny && hasQuads(ctx.device);
  const [tileRows, tileCols] = quad ? [QUAD_ROWS, QUAD_COLS] : [TILE, TILE];
  // A launch computes at most `cols` columns of C: as many as one binding of B (k words a column) and, for
  // the tiled kernel, the grid hold. A B that fits one binding gets n or the grid's (a multiple of 4), so
  // blocks start where B's vec4 loads along n need them to.
  const cols = Math.min(n, Math.max(1, Math.floor(room / Math.max(k, 1))), skinny ? n : tileCols * ctx.maxGroupsPerDim);
  const gridFits = skinny ? m * Math.ceil(n / 4) <= ctx.maxFlatGroups * SKINNY_THREADS : Math.ceil(m / tileRows) <= ctx.maxGroupsPerDim;
  // Whole matrices per launch (split by batch) when each fits one binding and the grid; otherwise one matrix
  // at a time, split by rows of A and blocks of columns of B. An operand is first copied into the layout
  // that splits where needed: A row-major (rows contiguous), a B larger than a binding transposed (columns contiguous).
  const byBatch = cols === n && m * k <= room && m * n <= room && gridFits;
  const aT = spec.transA && !byBatch ? transposed(ctx, a, spec.batchA, k, m) : undefined;
  const bT = !spec.transB && k * n > room ? transposed(ctx, b, spec.batchB, k, n) : undefined;
  const transA = spec.transA && !aT;
  const transB = spec.transB || bT !== undefined;

  // The skinny kernel reads scalars only, so it needs no vec4 layouts; the quad kernel's lanes load single
  // rows of A, so a transposed A gains nothing from vec4 loads there.
  const [vecA, bMode] = skinny ? [0, 0] : modes(m, k, n, transA, transB);
  const aMode = quad && transA ? 0 : vecA;
  const flags = `${quad ? 'enable subgroups;\n' : ''}const A_MODE = ${aMode}u;\nconst B_MODE = ${bMode}u;\nconst HAS_BIAS = ${spec.bias !== undefined};\nconst RELU = ${spec.activation === 'relu'};`;
  const prelude = `${flags}\n${accessors('a', aMode !== 0)}\n${accessors('b', bMode !== 0)}`;
  const kernel = skinny ? 'matmul-skinny' : quad ? 'matmul-quad' : 'matmul';
  const pipeline = ctx.pipeline(`${kernel}:${aMode}${bMode}:${spec.bias !== undefined}:${spec.activation ?? ''}`, prelude, ['matmul-common', kernel]);

  const aBuffer = (aT ?? gpuRef(a.ref)).buffer;
  const bBuffer = (bT ?? gpuRef(b.ref)).buffer;
  const [aRow, aCol] = transA ? [1, m] : [k, 1];
  const [bRow, bCol] = transB ? [1, k] : [n, 1];
  const aBatch = spec.batchA === 1 ? 0 : m * k;
  const bBatch = spec.batchB === 1 ? 0 : k * n;
  const bias = (w: number, base: number): RowAccess =>
    spec.bias ? { buffer: gpuRef(spec.bias.ref).buffer, stride: 0, span: w, base, offsettable: true } : { buffer: ctx.dummy, stride: 0, span: 4 };
  // Operands are bound in windows that start anywhere: the shader takes each one's offset (v.offsets).
  const run = (units: number, w: number, shape: (units: number) => { mats: number; rows: number }, operands: RowAccess[], maxRows: number) => {
    const groupsPerRow = Math.ceil(w / 4);
    const params = (v: RowsView) => {
      const s = shape(v.rows);
      return packParams([s.rows, w, k, aBatch, bBatch, aRow, aCol, bRow, bCol, groupsPerRow, s.mats * s.rows * groupsPerRow, n, ...v.offsets]);
    };
    const groups = (u: number): Groups => {
      const s = shape(u);
      return skinny ? Math.ceil((s.mats * s.rows * groupsPerRow) / SKINNY_THREADS) : [Math.ceil(w / tileCols), Math.ceil(s.rows / tileRows), s.mats];
    };
    ctx.runRows('matmul', pipeline, units, operands, params, groups, maxRows);
  };
  if (byBatch) {
    const operands = [
      { buffer: aBuffer, stride: aBatch, span: m * k, offsettable: true },
      { buffer: bBuffer, stride: bBatch, span: k * n, offsettable: true },
      bias(n, 0),
      { buffer: out.buffer, stride: m * n, span: m * n, offsettable: true },
    ];
    const maxMats = skinny ? Math.floor((ctx.maxFlatGroups * SKINNY_THREADS) / (m * Math.ceil(n / 4))) : ctx.maxGroupsPerDim;
    run(batch, n, (mats) => ({ mats, rows: m }), operands, maxMats);
  } else {
    for (let p = 0; p < batch; p++) {
      for (let c0 = 0; c0 < n; c0 += cols) {
        const w = Math.min(cols, n - c0);
        const operands = [
          { buffer: aBuffer, stride: k, span: k, base: p * aBatch, offsettable: true },
          { buffer: bBuffer, stride: 0, span: k === 0 ? 0 : (k - 1) * bRow + (w - 1) * bCol + 1, base: p * bBatch + c0 * bCol, offsettable: true },
          bias(w, c0),
          { buffer: out.buffer, stride: n, span: w, base: p * m * n + c0, offsettable: true },
        ];
        const maxRows = skinny ? Math.floor((ctx.maxFlatGroups * SKINNY_THREADS) / Math.ceil(w / 4)) : ctx.maxGroupsPerDim * tileRows;
        run(m, w, (rows) => ({ mats: 1, rows }), operands, maxRows);
      }
    }
  }
  if (aT) ctx.pool.release(aT.buffer); // reusable once the launches reading it are submitted
  if (bT) ctx.pool.release(bT.buffer);
  return out;
}
