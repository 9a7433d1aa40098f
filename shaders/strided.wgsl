// Index math for kernels that walk `shape` (row-major) and read up to three operands through strides:
// a stride of 0 broadcasts. Rank ≤ 8; the host merges dimensions that are contiguous in every operand.
struct Strided {
  size: u32, rank: u32, off0: u32, off1: u32,
  off2: u32, pad0: u32, pad1: u32, pad2: u32,
  shape: array<vec4<u32>, 2>,
  s0: array<vec4<u32>, 2>,
  s1: array<vec4<u32>, 2>,
  s2: array<vec4<u32>, 2>,
}
@group(0) @binding(0) var<uniform> p: Strided;

/** Offsets of element i of `shape` in operands 0, 1 and 2. */
fn offsets(i: u32) -> vec3<u32> {
  var o = vec3<u32>(p.off0, p.off1, p.off2);
  // Rank 1 (same shapes, scalar broadcast) needs no division: the common case stays cheap.
  if (p.rank <= 1u) { return o + i * vec3<u32>(p.s0[0].x, p.s1[0].x, p.s2[0].x); }
  var rem = i;
  for (var d = p.rank; d > 0u; d--) {
    let q = (d - 1u) / 4u;
    let r = (d - 1u) % 4u;
    let n = p.shape[q][r];
    let c = rem % n;
    rem = rem / n;
    o += c * vec3<u32>(p.s0[q][r], p.s1[q][r], p.s2[q][r]);
  }
  return o;
}
