// out[i] = op(a[.], b[.]) with numpy broadcasting by strides (see strided.wgsl).
// The kernel prepends `alias In`, `alias Out` and `fn op(a: In, b: In) -> Out`.
@group(0) @binding(1) var<storage, read> a: array<In>;
@group(0) @binding(2) var<storage, read> b: array<In>;
@group(0) @binding(3) var<storage, read_write> out: array<Out>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = linearId(wid, nwg, lid);
  if (i >= p.size) { return; }
  let o = offsets(i);
  out[i] = op(a[o.x], b[o.y]);
}
