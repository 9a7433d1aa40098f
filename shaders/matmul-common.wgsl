// Shared by the matmul kernels. The kernel prepends the operand element types and accessors:
// `alias AElem`/`BElem` (f32 or vec4<f32>), `aAt(i)`/`bAt(i)` (one float at flat index i), `aQuad(i)`/`bQuad(i)`
// (4 floats at a flat index that is a multiple of 4), and consts A_MODE, B_MODE, HAS_BIAS, RELU.
// A(r, k) = a[aBase + r·aRow + k·aCol], B(k, c) = b[bBase + k·bRow + c·bCol]: transposes are stride swaps.
// A launch computes m rows and n columns of each of its matrices of C, whose rows are cRow words apart (n,
// or more when the columns come in blocks); aOff, bOff, biasOff and cOff are where its first matrix (its
// first row, first column) starts in each binding, which may be a window of the buffer.
struct Params {
  m: u32, n: u32, k: u32, aBatch: u32,
  bBatch: u32, aRow: u32, aCol: u32, bRow: u32,
  bCol: u32, groupsPerRow: u32, groups: u32, cRow: u32,
  aOff: u32, bOff: u32, biasOff: u32, cOff: u32,
}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<AElem>;
@group(0) @binding(2) var<storage, read> b: array<BElem>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> c: array<f32>;

fn aElem(base: u32, r: u32, k: u32) -> f32 { return aAt(base + r * p.aRow + k * p.aCol); }
fn bElem(base: u32, k: u32, col: u32) -> f32 { return bAt(base + k * p.bRow + col * p.bCol); }

/** Bias (when fused) then activation, for 4 columns starting at col. */
fn epilogue(v: vec4<f32>, col: u32) -> vec4<f32> {
  var r = v;
  if (HAS_BIAS) {
    let last = p.n - 1u;
    let o = p.biasOff;
    r += vec4<f32>(bias[o + min(col, last)], bias[o + min(col + 1u, last)], bias[o + min(col + 2u, last)], bias[o + min(col + 3u, last)]);
  }
  if (RELU) { r = max(r, vec4<f32>(0.0)); }
  return r;
}

/** Writes the in-range columns of one output row segment. */
fn store(batch: u32, row: u32, col: u32, v: vec4<f32>) {
  let base = p.cOff + (batch * p.m + row) * p.cRow;
  for (var j = 0u; j < 4u; j++) {
    if (col + j < p.n) { c[base + col + j] = v[j]; }
  }
}
