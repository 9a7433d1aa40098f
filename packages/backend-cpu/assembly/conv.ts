// Image patches for convolution and pooling, channels last. `im2col` writes, for each output position
// r = (n, y, x) of an [n, oh, ow] grid, the row of its kh × kw window: cols[r, i, j, :] = x[n, y·sh + i·dh − pt,
// x·sw + j·dw − pl, :], or `pad` where that falls outside the image. `col2im` is its adjoint, written as a
// gather so that threads own disjoint output pixels: dx[n, u, v, :] = Σ of the cols entries that read (n, u, v).

function copyRun(dst: usize, src: usize, c: i32): void {
  let t = 0;
  for (; t + 4 <= c; t += 4) v128.store(dst + <usize>(t * 4), v128.load(src + <usize>(t * 4)));
  for (; t < c; t++) store<f32>(dst + <usize>(t * 4), load<f32>(src + <usize>(t * 4)));
}

function addRun(dst: usize, src: usize, c: i32): void {
  let t = 0;
  for (; t + 4 <= c; t += 4) {
    const at = dst + <usize>(t * 4);
    v128.store(at, f32x4.add(v128.load(at), v128.load(src + <usize>(t * 4))));
  }
  for (; t < c; t++) store<f32>(dst + <usize>(t * 4), load<f32>(dst + <usize>(t * 4)) + load<f32>(src + <usize>(t * 4)));
}

/** Rows [r0, r1) of cols; `padBits` is the pad value's float32 bits (0, or −∞ for max pooling). */
export function im2col(
  x: usize, cols: usize, r0: i32, r1: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, oh: i32, ow: i32, padBits: i32,
): void {
  const pad = reinterpret<f32>(padBits);
  let dst = cols + <usize>(r0 * kh * kw * c * 4);
  for (let r = r0; r < r1; r++) {
    const n = r / (oh * ow);
    const y = (r / ow) % oh;
    const xo = r % ow;
    for (let i = 0; i < kh; i++) {
      const iy = y * sh + i * dh - pt;
      for (let j = 0; j < kw; j++) {
        const ix = xo * sw + j * dw - pl;
        if (<u32>iy < <u32>h && <u32>ix < <u32>w) copyRun(dst, x + <usize>(((n * h + iy) * w + ix) * c * 4), c);
        else for (let t = 0; t < c; t++) store<f32>(dst + <usize>(t * 4), pad);
        dst += <usize>(c * 4);
      }
    }
  }
}

/** Pixels [p0, p1) of dx ([n, h, w] positions, c values each), from cols as laid out by im2col. */
export function col2im(
  cols: usize, dx: usize, p0: i32, p1: i32, h: i32, w: i32, c: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32, oh: i32, ow: i32,
): void {
  for (let p = p0; p < p1; p++) {
    const n = p / (h * w);
    const u = (p / w) % h;
    const v = p % w;
    const dst = dx + <usize>(p * c * 4);
    memory.fill(dst, 0, <usize>(c * 4));
    for (let i = 0; i < kh; i++) {
      const ty = u + pt - i * dh;
      const y = ty / sh;
      if (ty < 0 || ty % sh != 0 || y >= oh) continue;
      for (let j = 0; j < kw; j++) {
        const tx = v + pl - j * dw;
        const xo = tx / sw;
        if (tx < 0 || tx % sw != 0 || xo >= ow) continue;
        addRun(dst, cols + <usize>(((((n * oh + y) * ow + xo) * kh + i) * kw + j) * c * 4), c);
      }
    }
  }
}
