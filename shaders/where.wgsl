// out[i] = cond ? a : b, all three broadcast by strides (see strided.wgsl). Works on raw 32-bit words,
// so one pipeline serves every dtype.
@group(0) @binding(1) var<storage, read> cond: array<u32>;
@group(0) @binding(2) var<storage, read> a: array<u32>;
@group(0) @binding(3) var<storage, read> b: array<u32>;
@group(0) @binding(4) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = linearId(wid, nwg, lid);
  if (i >= p.size) { return; }
  let o = offsets(i);
  out[i] = select(b[o.z], a[o.y], cond[o.x] != 0u);
}
