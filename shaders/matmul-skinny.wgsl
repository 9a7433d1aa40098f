// Skinny matmul (m ≤ 16): one thread per output row segment of 4 columns, walking all of k.
// No workgroup memory or barriers (SwiftShader runs a barrier-based k-split tree 4× slower than this).
// Threads are numbered linearly over (batch, row, column group) so the grid can be split into 2-D.
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let g = (wid.y * nwg.x + wid.x) * 64u + lid;
  if (g >= p.groups) { return; }
  let c0 = (g % p.groupsPerRow) * 4u;
  let row = (g / p.groupsPerRow) % p.m;
  let batch = g / (p.groupsPerRow * p.m);
  let lastC = p.n - 1u;
  let aBase = p.aOff + batch * p.aBatch;
  let bBase = p.bOff + batch * p.bBatch;
  var acc = vec4<f32>();
  for (var k = 0u; k < p.k; k++) {
    let bv = vec4<f32>(bElem(bBase, k, min(c0, lastC)), bElem(bBase, k, min(c0 + 1u, lastC)),
                       bElem(bBase, k, min(c0 + 2u, lastC)), bElem(bBase, k, min(c0 + 3u, lastC)));
    acc += aElem(aBase, row, k) * bv;
  }
  store(batch, row, c0, epilogue(acc, c0));
}
