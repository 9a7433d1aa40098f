// The adjoint of im2col.wgsl (after patches.wgsl). One thread per image pixel (n, u, v), no atomics: its c
// channels sum the patch entries that read them, those windows (y, x, i, j) with y·sh + i·dh − pt = u and
// x·sw + j·dw − pl = v; the index arithmetic is paid once per window, not per channel.
@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let e = linearId(wid, nwg, lid);
  if (e >= p.size) { return; }
  var t = e;
  let v = i32(t % p.w); t = t / p.w;
  let u = i32(t % p.h);
  let n = t / p.h;
  let dstAt = p.dstOffset + e * p.c;
  for (var ch = 0u; ch < p.c; ch++) { dst[dstAt + ch] = 0.0; }
  for (var i = 0u; i < p.kh; i++) {
    let ty = u + i32(p.pt) - i32(i * p.dh);
    let y = u32(ty) / p.sh;
    if (ty < 0 || u32(ty) % p.sh != 0u || y >= p.oh) { continue; }
    for (var j = 0u; j < p.kw; j++) {
      let tx = v + i32(p.pl) - i32(j * p.dw);
      let xo = u32(tx) / p.sw;
      if (tx < 0 || u32(tx) % p.sw != 0u || xo >= p.ow) { continue; }
      let srcAt = p.srcOffset + ((((n * p.oh + y) * p.ow + xo) * p.kh + i) * p.kw + j) * p.c;
      for (var ch = 0u; ch < p.c; ch++) { dst[dstAt + ch] += src[srcAt + ch]; }
    }
  }
}
