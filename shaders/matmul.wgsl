// Tiled matmul: each of 16×16 threads computes a 4×4 register block of C (a 64×64 tile per workgroup),
// 4 k-steps at a time, loading A and B as vec4 along their contiguous axis when it is a multiple of 4.
// No workgroup memory or barriers: SwiftShader rewards modest register blocks and few barriers.
// Where subgroups are exactly 4 lanes (SwiftShader) matmul-quad.wgsl runs instead (about 2× faster there).
// Measured on SwiftShader and kept: 8×8, 4×8 and 8×4 blocks, 64-256 threads in 1-D or 2-D, k unrolled by
// 8 and scalar×vec4 FMAs ran at 0.8-1.3× this kernel: every lane-indexed load is a gather there.
// Modes: A_MODE 0 = strided scalars, 1 = vec4 along k (row-major A), 2 = vec4 along m (transposed A);
//        B_MODE 0 = strided scalars, 1 = vec4 along n (row-major B), 2 = vec4 along k (transposed B).

// Columns are rows r0..r0+3 of A over k0..k0+3 (the block transposed), rows past m clamped. `rows` holds
// the clamped rows' offsets (row · aRow), computed once per thread for the strided mode.
fn blockA(base: u32, r0: u32, k0: u32, rows: vec4<u32>) -> mat4x4<f32> {
  let last = p.m - 1u;
  if (A_MODE == 1u) {
    return mat4x4<f32>(aQuad(base + min(r0, last) * p.k + k0), aQuad(base + min(r0 + 1u, last) * p.k + k0),
                       aQuad(base + min(r0 + 2u, last) * p.k + k0), aQuad(base + min(r0 + 3u, last) * p.k + k0));
  }
  if (A_MODE == 2u) {
    let r = min(r0, p.m - 4u);
    return transpose(mat4x4<f32>(aQuad(base + k0 * p.aCol + r), aQuad(base + (k0 + 1u) * p.aCol + r),
                                 aQuad(base + (k0 + 2u) * p.aCol + r), aQuad(base + (k0 + 3u) * p.aCol + r)));
  }
  let ks = base + (k0 + vec4<u32>(0u, 1u, 2u, 3u)) * p.aCol;
  var t: mat4x4<f32>;
  for (var i = 0u; i < 4u; i++) {
    let at = ks + rows[i];
    t[i] = vec4<f32>(aAt(at.x), aAt(at.y), aAt(at.z), aAt(at.w));
  }
  return t;
}

// Columns are rows k0..k0+3 of B over c0..c0+3, columns past n clamped. `cols` holds the clamped
// columns' offsets (column · bCol), computed once per thread for the strided mode.
fn blockB(base: u32, c0: u32, k0: u32, cols: vec4<u32>) -> mat4x4<f32> {
  let last = p.n - 1u;
  if (B_MODE == 1u) {
    let col = min(c0, p.n - 4u);
    return mat4x4<f32>(bQuad(base + k0 * p.bRow + col), bQuad(base + (k0 + 1u) * p.bRow + col),
                       bQuad(base + (k0 + 2u) * p.bRow + col), bQuad(base + (k0 + 3u) * p.bRow + col));
  }
  if (B_MODE == 2u) {
    return transpose(mat4x4<f32>(bQuad(base + min(c0, last) * p.k + k0), bQuad(base + min(c0 + 1u, last) * p.k + k0),
                                 bQuad(base + min(c0 + 2u, last) * p.k + k0), bQuad(base + min(c0 + 3u, last) * p.k + k0)));
  }
  var t: mat4x4<f32>;
  for (var j = 0u; j < 4u; j++) {
    let at = cols + base + (k0 + j) * p.bRow;
    t[j] = vec4<f32>(bAt(at.x), bAt(at.y), bAt(at.z), bAt(at.w));
  }
  return t;
}

@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let r0 = (wid.y * 16u + lid.y) * 4u;
  let c0 = (wid.x * 16u + lid.x) * 4u;
  if (r0 >= p.m || c0 >= p.n) { return; }
  let batch = wid.z;
  let aBase = p.aOff + batch * p.aBatch;
  let bBase = p.bOff + batch * p.bBatch;
  // acc[i] is output row r0+i over columns c0..c0+3: acc += Bblockᵀ · Ablockᵀ.
  let lastR = p.m - 1u;
  let lastC = p.n - 1u;
  let quad = vec4<u32>(0u, 1u, 2u, 3u);
  let rows = min(r0 + quad, vec4<u32>(lastR)) * p.aRow;
  let cols = min(c0 + quad, vec4<u32>(lastC)) * p.bCol;
  var acc = mat4x4<f32>();
  var k0 = 0u;
  for (; k0 + 4u <= p.k; k0 += 4u) {
    acc += blockB(bBase, c0, k0, cols) * blockA(aBase, r0, k0, rows);
  }
  // k tail (only in modes whose vec4 axis is not k).
  for (; k0 < p.k; k0++) {
    let bv = vec4<f32>(bElem(bBase, k0, min(c0, lastC)), bElem(bBase, k0, min(c0 + 1u, lastC)),
                       bElem(bBase, k0, min(c0 + 2u, lastC)), bElem(bBase, k0, min(c0 + 3u, lastC)));
    for (var i = 0u; i < 4u; i++) { acc[i] += aElem(aBase, min(r0 + i, lastR), k0) * bv; }
  }
  for (var i = 0u; i < 4u; i++) {
    if (r0 + i < p.m) { store(batch, r0 + i, c0, epilogue(acc[i], c0)); }
  }
}
