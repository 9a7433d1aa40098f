import type { MatmulSpec } from '../../../core/src/backend.ts';

/**
 * Cache-blocked GEMM in the Goto/BLIS style. Per (NC × KC) block of B and (MC × KC) block of A, both are
 * packed into micro-panels of MR rows (A) / NR columns (B), laid out k-major and zero-padded, so the
 * micro-kernel reads two contiguous streams whatever the transposition of the operands. Panels are
 * float64: the hot loop does no float32→float64 conversion and accumulates in double precision.
 */
const MR = 4;
const NR = 4;
const KC = 256;
const MC = 128;
const NC = 512;

/** Row-major view of a matrix inside a flat array: element (i, p) is at `data[offset + i * rowStride + p * colStride]`. */
interface MatrixView {
  readonly data: Float32Array;
  readonly offset: number;
  readonly rowStride: number;
  readonly colStride: number;
}

export function matmul(a: Float32Array, b: Float32Array, bias: Float32Array | undefined, spec: MatmulSpec): Float32Array {
  const { batch, m, k, n } = spec;
  const out = new Float32Array(batch * m * n);
  const packedA = new Float64Array(MC * KC);
  const packedB = new Float64Array(KC * roundUp(Math.min(n, NC), NR));
  const tile = new Float64Array(MR * NR);
  for (let t = 0; t < batch; t++) {
    const cOffset = t * m * n;
    if (bias) for (let i = 0; i < m; i++) out.set(bias, cOffset + i * n);
    // A as (m × k) and B seen transposed as (n × k): packing either is then the same row-panel operation.
    const aView: MatrixView = spec.transA
      ? { data: a, offset: (spec.batchA === 1 ? 0 : t) * m * k, rowStride: 1, colStride: m }
      : { data: a, offset: (spec.batchA === 1 ? 0 : t) * m * k, rowStride: k, colStride: 1 };
    const bView: MatrixView = spec.transB
      ? { data: b, offset: (spec.batchB === 1 ? 0 : t) * k * n, rowStride: k, colStride: 1 }
      : { data: b, offset: (spec.batchB === 1 ? 0 : t) * k * n, rowStride: 1, colStride: n };
    gemm(aView, bView, out, cOffset, m, k, n, packedA, packedB, tile);
  }
  if (spec.activation === 'relu') for (let i = 0; i < out.length; i++) if (out[i] < 0) out[i] = 0;
  return out;
}

/** C[m × n] (at cOffset, row stride n) += A · Bᵀ, with A as (m × k) and B as (n × k). */
function gemm(
  a: MatrixView, b: MatrixView, c: Float32Array, cOffset: number, m: number, k: number, n: number,
  packedA: Float64Array, packedB: Float64Array, tile: Float64Array,
): void {
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      packPanels(b, jc, nc, pc, kc, NR, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanels(a, ic, mc, pc, kc, MR, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          for (let ir = 0; ir < mc; ir += MR) {
            microKernel(packedA, ir * kc, packedB, jr * kc, kc, tile);
            addTile(tile, c, cOffset + (ic + ir) * n + jc + jr, n, Math.min(MR, mc - ir), Math.min(NR, nc - jr));
          }
        }
      }
    }
  }
}

/**
 * Pack rows [i0, i0+rows) × columns [p0, p0+kc) of `src` into panels of `r` rows:
 * dst[(i / r) * kc * r + p * r + i % r], rows past the end zero-filled.
 */
function packPanels(src: MatrixView, i0: number, rows: number, p0: number, kc: number, r: number, dst: Float64Array): void {
  const { data, rowStride, colStride } = src;
  for (let panel = 0; panel < rows; panel += r) {
    const live = Math.min(r, rows - panel);
    const first = src.offset + (i0 + panel) * rowStride + p0 * colStride;
    let d = panel * kc;
    // p outer, q inner: the reads are sequential for either layout of the source.
    for (let p = 0; p < kc; p++) {
      const s = first + p * colStride;
      for (let q = 0; q < live; q++) dst[d++] = data[s + q * rowStride];
      for (let q = live; q < r; q++) dst[d++] = 0;
    }
  }
}

/**
 * tile[4 × 4] = Σ_p A-panel[p] ⊗ B-panel[p]. Sized for x64's 16 float registers (larger tiles spill);
 * the strides are literals because TurboFan reloads module constants inside the loop.
 */
function microKernel(pa: Float64Array, ia: number, pb: Float64Array, ib: number, kc: number, tile: Float64Array): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++, ia += 4, ib += 4) {
    const a0 = pa[ia], a1 = pa[ia + 1], a2 = pa[ia + 2], a3 = pa[ia + 3];
    const b0 = pb[ib], b1 = pb[ib + 1], b2 = pb[ib + 2], b3 = pb[ib + 3];
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
  tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
  tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
  tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
}

/** C += the live rows × cols corner of the tile. */
function addTile(tile: Float64Array, c: Float32Array, offset: number, ldc: number, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const row = offset + r * ldc;
    for (let q = 0; q < cols; q++) c[row + q] += tile[r * NR + q];
  }
}

function roundUp(x: number, multiple: number): number {
  return Math.ceil(x / multiple) * multiple;
}
