// Image patches, channels last, one thread per output element (after patches.wgsl):
// dst[n, y, x, i, j, ch] = src[n, y·sh + i·dh − pt, x·sw + j·dw − pl, ch], or `pad` outside the image.
@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let e = linearId(wid, nwg, lid);
  if (e >= p.size) { return; }
  var t = e;
  let ch = t % p.c; t = t / p.c;
  let j = t % p.kw; t = t / p.kw;
  let i = t % p.kh; t = t / p.kh;
  let xo = t % p.ow; t = t / p.ow;
  let y = t % p.oh;
  let n = t / p.oh;
  // Unsigned wrap-around puts rows and columns above the image (negative) past its end too.
  let iy = y * p.sh + i * p.dh - p.pt;
  let ix = xo * p.sw + j * p.dw - p.pl;
  var v = bitcast<f32>(p.pad);
  if (iy < p.h && ix < p.w) { v = src[p.srcOffset + ((n * p.h + iy) * p.w + ix) * p.c + ch]; }
  dst[p.dstOffset + e] = v;
}
