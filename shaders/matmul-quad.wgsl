// Quad matmul, for adapters whose subgroups are exactly 4 invocations (SwiftShader): a workgroup is one
// subgroup of 4 lanes computing an 8×16 block of C, each lane 8 rows × its own 4 columns. The lanes share
// the block's 8 rows of A: lane j loads rows j and 4+j and subgroupBroadcast hands them to the others.
// Why: SwiftShader runs 4 lanes as one SIMD group and every storage load with a lane-dependent index
// is a 4-address gather that costs far more than the arithmetic, so redundant per-lane loads of shared
// rows dominate the tiled kernel (where all 4 lanes load the same A values). Sharing cuts the loads per
// lane and k-step from 8 to 6 per 32 multiply-adds (tiled: 8 per 16). Measured on SwiftShader, 2 cores:
// 784×128×512 transA 1.4 → 3.0 GFLOP/s, 128×784×512 1.7 → 3.3 GFLOP/s (bench/matmul.ts). Larger
// workgroups (16×8 quads) measured the same; 8×8 or 16×4 blocks per lane spill and run slower.
// The prelude's modes: A_MODE 1 = vec4 along k (row-major A, k % 4 = 0), else strided scalars (a lane
// loads one row's values, so a transposed A gains nothing from vec4); B_MODE as in matmul.wgsl.

// Rows k0..k0+3 of B over columns c0..c0+3 (one per matrix column), columns past n clamped. `cols`
// holds the clamped columns' offsets (column · bCol) for the strided mode.
fn quadB(base: u32, c0: u32, k0: u32, cols: vec4<u32>) -> mat4x4<f32> {
  if (B_MODE == 1u) {
    let col = base + min(c0, p.n - 4u);
    return mat4x4<f32>(bQuad(col + k0 * p.bRow), bQuad(col + (k0 + 1u) * p.bRow),
                       bQuad(col + (k0 + 2u) * p.bRow), bQuad(col + (k0 + 3u) * p.bRow));
  }
  if (B_MODE == 2u) {
    let at = base + cols + k0;
    return transpose(mat4x4<f32>(bQuad(at.x), bQuad(at.y), bQuad(at.z), bQuad(at.w)));
  }
  var t: mat4x4<f32>;
  for (var j = 0u; j < 4u; j++) {
    let at = base + cols + (k0 + j) * p.bRow;
    t[j] = vec4<f32>(bAt(at.x), bAt(at.y), bAt(at.z), bAt(at.w));
  }
  return t;
}

// One row of A over k0..k0+3; `row` is the row's start (base + row · aRow).
fn quadA(row: u32, k0: u32) -> vec4<f32> {
  if (A_MODE == 1u) { return aQuad(row + k0); }
  return vec4<f32>(aAt(row + k0 * p.aCol), aAt(row + (k0 + 1u) * p.aCol), aAt(row + (k0 + 2u) * p.aCol),
                   aAt(row + (k0 + 3u) * p.aCol));
}

@compute @workgroup_size(4)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(subgroup_invocation_id) lane: u32) {
  let r0 = wid.y * 8u;
  let c0 = (wid.x * 4u + lane) * 4u;
  let batch = wid.z;
  let aBase = p.aOff + batch * p.aBatch;
  let bBase = p.bOff + batch * p.bBatch;
  let lastR = p.m - 1u;
  let lastC = p.n - 1u;
  // No early return for lanes past n: every lane must load its rows for the others.
  let lo = aBase + min(r0 + lane, lastR) * p.aRow;
  let hi = aBase + min(r0 + 4u + lane, lastR) * p.aRow;
  let cols = min(c0 + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(lastC)) * p.bCol;
  // accI is row r0+I over this lane's 4 columns; b · a adds Σ_k B(k, cols) · a[k].
  var acc0 = vec4<f32>(); var acc1 = vec4<f32>(); var acc2 = vec4<f32>(); var acc3 = vec4<f32>();
  var acc4 = vec4<f32>(); var acc5 = vec4<f32>(); var acc6 = vec4<f32>(); var acc7 = vec4<f32>();
  let steps = p.k / 4u;
  for (var s = 0u; s < steps; s++) {
    let k0 = s * 4u;
    let b = quadB(bBase, c0, k0, cols);
    let l = quadA(lo, k0);
    let h = quadA(hi, k0);
    acc0 += b * subgroupBroadcast(l, 0u); acc1 += b * subgroupBroadcast(l, 1u);
    acc2 += b * subgroupBroadcast(l, 2u); acc3 += b * subgroupBroadcast(l, 3u);
    acc4 += b * subgroupBroadcast(h, 0u); acc5 += b * subgroupBroadcast(h, 1u);
    acc6 += b * subgroupBroadcast(h, 2u); acc7 += b * subgroupBroadcast(h, 3u);
  }
  // k tail, one k at a time (A_MODE 1 only when there is none).
  for (var k = steps * 4u; k < p.k; k++) {
    let b = vec4<f32>(bAt(bBase + cols.x + k * p.bRow), bAt(bBase + cols.y + k * p.bRow),
                      bAt(bBase + cols.z + k * p.bRow), bAt(bBase + cols.w + k * p.bRow));
    let l = aAt(lo + k * p.aCol);
    let h = aAt(hi + k * p.aCol);
    acc0 += b * subgroupBroadcast(l, 0u); acc1 += b * subgroupBroadcast(l, 1u);
    acc2 += b * subgroupBroadcast(l, 2u); acc3 += b * subgroupBroadcast(l, 3u);
    acc4 += b * subgroupBroadcast(h, 0u); acc5 += b * subgroupBroadcast(h, 1u);
    acc6 += b * subgroupBroadcast(h, 2u); acc7 += b * subgroupBroadcast(h, 3u);
  }
  let rows = array<vec4<f32>, 8>(acc0, acc1, acc2, acc3, acc4, acc5, acc6, acc7);
  for (var i = 0u; i < 8u; i++) {
    if (r0 + i < p.m) { store(batch, r0 + i, c0, epilogue(rows[i], c0)); }
  }
}
