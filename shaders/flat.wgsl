// Entry point of the element-wise kernels on flat buffers (unary.wgsl, binary-flat.wgsl define the
// bindings and `fn unit(i: u32)`, which computes unit i). A unit is 1 element or 4 (vec4 loads and stores
// when the size allows); each thread takes units i, i + threads, … over a capped grid (grid-stride loop).
struct Params { units: u32 }
@group(0) @binding(0) var<uniform> p: Params;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let threads = nwg.x * nwg.y * WG;
  for (var i = linearId(wid, nwg, lid); i < p.units; i += threads) { unit(i); }
}
