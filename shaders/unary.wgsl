// y[i] = op(x[i]). The kernel prepends `alias In`, `alias Out` and `fn op(x: In) -> Out` (unary ops and casts).
struct Params { size: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<In>;
@group(0) @binding(2) var<storage, read_write> y: array<Out>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = linearId(wid, nwg, lid);
  if (i >= p.size) { return; }
  y[i] = op(x[i]);
}
