// What im2col.wgsl and col2im.wgsl share: the patch geometry (PatchSpec in packages/core/src/backend.ts)
// and their two buffers. A launch covers whole images; `srcOffset`/`dstOffset` are the words of its first
// image in each window; `size` counts the launch's threads. `pad` (float32 bits) is what im2col reads outside the image.
struct Params {
  size: u32, h: u32, w: u32, c: u32, kh: u32, kw: u32, sh: u32, sw: u32,
  dh: u32, dw: u32, pt: u32, pl: u32, oh: u32, ow: u32, srcOffset: u32, dstOffset: u32, pad: u32,
}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read_write> dst: array<f32>;
