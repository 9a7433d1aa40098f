// Strided copy of 32-bit words: dst[off1 + c·s1] = src[off0 + c·s0] for every coordinate c of `shape`
// (see strided.wgsl). Serves permute, slice and concat (one dispatch per input).
@group(0) @binding(1) var<storage, read> src: array<u32>;
@group(0) @binding(2) var<storage, read_write> dst: array<u32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = linearId(wid, nwg, lid);
  if (i >= p.size) { return; }
  let o = offsets(i);
  dst[o.y] = src[o.x];
}
