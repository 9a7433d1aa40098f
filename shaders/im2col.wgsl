// Image patches, channels last (after patches.wgsl). One thread per window position (n, y, x, i, j) copies
// its run of c channels, so the index arithmetic (integer divisions, slow on SwiftShader) is paid once
// per run: dst[n, y, x, i, j, :] = src[n, y·sh + i·dh − pt, x·sw + j·dw − pl, :], or `pad` outside the image.
@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let e = linearId(wid, nwg, lid);
  if (e >= p.size) { return; }
  var t = e;
  let j = t % p.kw; t = t / p.kw;
  let i = t % p.kh; t = t / p.kh;
  let xo = t % p.ow; t = t / p.ow;
  let y = t % p.oh;
  let n = t / p.oh;
  // Unsigned wrap-around puts rows and columns above the image (negative) past its end too.
  let iy = y * p.sh + i * p.dh - p.pt;
  let ix = xo * p.sw + j * p.dw - p.pl;
  let dstAt = p.dstOffset + e * p.c;
  if (iy < p.h && ix < p.w) {
    let srcAt = p.srcOffset + ((n * p.h + iy) * p.w + ix) * p.c;
    for (var ch = 0u; ch < p.c; ch++) { dst[dstAt + ch] = src[srcAt + ch]; }
  } else {
    let v = bitcast<f32>(p.pad);
    for (var ch = 0u; ch < p.c; ch++) { dst[dstAt + ch] = v; }
  }
}
