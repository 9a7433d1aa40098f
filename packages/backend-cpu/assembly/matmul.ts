// Packed GEMM in the Goto/BLIS style on WebAssembly SIMD. Both operands are packed per cache block into
// k-major micro-panels (MR rows of A, NR columns of B, zero-padded), so the micro-kernel streams two
// contiguous buffers whatever the transposition of the inputs, and transposed operands cost nothing extra.
// All pointers are byte addresses in linear memory; strides are in elements.

/** Micro-tile: MR rows × NR columns = 4 × 2 f32x4 accumulators (x64 has 16 vector registers; 6 × 8 spills). */
const MR = 4;
const NR = 8;
/** Cache blocks: a KC × NR panel of B stays in L1, an MC × KC block of A in L2. */
const KC = 256;
const MC = 128;
const NC = 512;

/** Scratch bytes one thread needs for `gemm` (packed A block, packed B block, one tile). */
export const GEMM_SCRATCH_BYTES: i32 = (MC * KC + KC * NC + MR * NR) * 4;

/**
 * C[i0:i1, j0:j1] = epilogue(A · B) where A is m × k with element (i, p) at a + 4 (i·aRow + p·aCol),
 * B is k × n with element (p, j) at b + 4 (p·bRow + j·bCol) and C is row-major with `ldc` columns.
 * Epilogue: + bias[j] when bias ≠ 0, then max(·, 0) when relu (NaN kept). k must be > 0.
 */
export function gemm(
  a: usize, aRow: i32, aCol: i32, b: usize, bRow: i32, bCol: i32, c: usize, ldc: i32,
  bias: usize, relu: bool, i0: i32, i1: i32, j0: i32, j1: i32, k: i32, scratch: usize,
): void {
  const packedA = scratch;
  const packedB = scratch + <usize>(MC * KC * 4);
  const tile = packedB + <usize>(KC * NC * 4);
  // Equal K blocks (784 → 4 × 196) instead of 256 + 256 + 256 + 16.
  const kBlocks = (k + KC - 1) / KC;
  const kcMax = (k + kBlocks - 1) / kBlocks;
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc);
    for (let pc = 0; pc < k; pc += kcMax) {
      const kc = min(kcMax, k - pc);
      const first = pc == 0;
      const last = pc + kc >= k;
      packPanels(b + <usize>(4 * (pc * bRow + jc * bCol)), bCol, bRow, nc, kc, NR, packedB);
      for (let ic = i0; ic < i1; ic += MC) {
        const mc = min(MC, i1 - ic);
        packPanels(a + <usize>(4 * (ic * aRow + pc * aCol)), aRow, aCol, mc, kc, MR, packedA);
        for (let jr = 0; jr < nc; jr += NR) {
          const pb = packedB + <usize>(jr * kc * 4);
          const biasAt: usize = bias == 0 || !first ? 0 : bias + <usize>((jc + jr) * 4);
          for (let ir = 0; ir < mc; ir += MR) {
            microKernel(packedA + <usize>(ir * kc * 4), pb, kc, tile);
            const cAt = c + <usize>(4 * ((ic + ir) * ldc + jc + jr));
            storeTile(tile, cAt, ldc, min(MR, mc - ir), min(NR, nc - jr), first, biasAt, relu && last);
          }
        }
      }
    }
  }
}

/**
 * Pack `rows` × `kc` of a matrix (element (r, p) at src + 4 (r·rowStride + p·colStride)) into panels of
 * `width` rows: dst[(r / width)·kc·width + p·width + r % width], missing rows zero.
 */
function packPanels(src: usize, rowStride: i32, colStride: i32, rows: i32, kc: i32, width: i32, dst: usize): void {
  for (let r0 = 0; r0 < rows; r0 += width) {
    const live = min(width, rows - r0);
    const panel = dst + <usize>(r0 * kc * 4);
    const from = src + <usize>(4 * r0 * rowStride);
    if (live == width && rowStride == 1) {
      // The panel's rows are adjacent in memory: each k step is `width` contiguous floats.
      for (let p = 0; p < kc; p++) {
        const s = from + <usize>(4 * p * colStride);
        const d = panel + <usize>(4 * p * width);
        for (let q = 0; q < width; q += 4) v128.store(d + <usize>(q * 4), v128.load(s + <usize>(q * 4)));
      }
    } else {
      // Row by row: sequential reads of each source row, strided writes within the (L1-resident) panel.
      for (let q = 0; q < width; q++) {
        const d = panel + <usize>(q * 4);
        const step = <usize>(width * 4);
        if (q < live) {
          const s = from + <usize>(4 * q * rowStride);
          for (let p = 0; p < kc; p++) store<f32>(d + <usize>p * step, load<f32>(s + <usize>(4 * p * colStride)));
        } else {
          for (let p = 0; p < kc; p++) store<f32>(d + <usize>p * step, 0);
        }
      }
    }
  }
}

/** tile[MR × NR] = Σ_p packedA[p] ⊗ packedB[p] over one pair of micro-panels. */
// @ts-ignore: decorator
@inline
function microKernel(pa: usize, pb: usize, kc: i32, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let av = v128.load32_splat(pa);
    c00 = madd(av, b0, c00);
    c01 = madd(av, b1, c01);
    av = v128.load32_splat(pa, 4);
    c10 = madd(av, b0, c10);
    c11 = madd(av, b1, c11);
    av = v128.load32_splat(pa, 8);
    c20 = madd(av, b0, c20);
    c21 = madd(av, b1, c21);
    av = v128.load32_splat(pa, 12);
    c30 = madd(av, b0, c30);
    c31 = madd(av, b1, c31);
    pa += MR * 4;
    pb += NR * 4;
  }
  v128.store(tile, c00); v128.store(tile, c01, 16);
  v128.store(tile, c10, 32); v128.store(tile, c11, 48);
  v128.store(tile, c20, 64); v128.store(tile, c21, 80);
  v128.store(tile, c30, 96); v128.store(tile, c31, 112);
}

/**
 * a·b + c. The relaxed-SIMD build (gen-wasm.mjs) uses the engine's fused multiply-add where the CPU has
 * one (one rounding instead of two; the spec lets an engine round twice instead); the baseline build, for
 * engines without relaxed SIMD, multiplies and adds.
 */
// @ts-ignore: decorator
@inline
function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * C (rows × cols corner) = tile [+ bias] on the first K block, C += tile on later ones; relu on the last.
 * `bias` is 0 when there is none or this is not the first K block.
 */
function storeTile(tile: usize, c: usize, ldc: i32, rows: i32, cols: i32, first: bool, bias: usize, relu: bool): void {
  const zero = f32x4.splat(0);
  for (let r = 0; r < rows; r++) {
    const t = tile + <usize>(r * NR * 4);
    const row = c + <usize>(r * ldc * 4);
    let q = 0;
    for (; q + 4 <= cols; q += 4) {
      const at = row + <usize>(q * 4);
      let v = v128.load(t + <usize>(q * 4));
      if (!first) v = f32x4.add(v, v128.load(at));
      else if (bias != 0) v = f32x4.add(v, v128.load(bias + <usize>(q * 4)));
      if (relu) v = v128.bitselect(zero, v, f32x4.lt(v, zero));
      v128.store(at, v);
    }
    for (; q < cols; q++) {
      const at = row + <usize>(q * 4);
      let v = load<f32>(t + <usize>(q * 4));
      if (!first) v += load<f32>(at);
      else if (bias != 0) v += load<f32>(bias + <usize>(q * 4));
      if (relu && v < 0) v = 0;
      store<f32>(at, v);
    }
  }
}
