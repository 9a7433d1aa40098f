import { patchGeometry, type PatchSpec, type TensorInfo } from '@strata/core';
import { WORKGROUP_SIZE, type GpuContext } from '../context.ts';
import { gpuRef, type GpuRef } from '../gpu-ref.ts';
import { f32Bits, packParams } from '../params.ts';

/**
 * im2col and col2im (shaders/patches.wgsl + im2col.wgsl, col2im.wgsl): one thread per run of channels (a
 * window position of im2col's output, a pixel of col2im's). The work is split by whole images when a buffer
 * exceeds the binding limit or the grid the workgroup limit; each launch binds windows of both buffers
 * (offsettable: the shaders add the word offset of the launch's first image).
 */

function patchWords(s: PatchSpec): [image: number, patches: number] {
  return [s.height * s.width * s.channels, s.outHeight * s.outWidth * s.kernelHeight * s.kernelWidth * s.channels];
}

/** One launch per chunk of images: `from` is read, `to` written, one thread per run of `spec.channels` words of `to`. */
function runImages(ctx: GpuContext, name: 'im2col' | 'col2im', spec: PatchSpec, from: GPUBuffer, fromWords: number, to: GPUBuffer, toWords: number, padValue = 0): void {
  const runs = toWords / spec.channels;
  const pipeline = ctx.pipeline(name, '', ['common', 'patches', name]);
  const operands = [
    { buffer: from, stride: fromWords, span: fromWords, offsettable: true },
    { buffer: to, stride: toWords, span: toWords, offsettable: true },
  ];
  const maxImages = Math.floor((ctx.maxFlatGroups * WORKGROUP_SIZE) / Math.max(runs, 1));
  ctx.runRows(name, pipeline, spec.batch, operands,
    (v) => packParams([v.rows * runs, ...patchGeometry(spec), v.offsets[0], v.offsets[1], f32Bits(padValue)]),
    (images) => Math.ceil((images * runs) / WORKGROUP_SIZE), maxImages);
}

export function im2col(ctx: GpuContext, x: TensorInfo, spec: PatchSpec, padValue: number): GpuRef {
  const [image, patches] = patchWords(spec);
  const out = ctx.alloc(spec.batch * patches);
  if (patches > 0) runImages(ctx, 'im2col', spec, gpuRef(x.ref).buffer, image, out.buffer, patches, padValue);
  return out;
}

export function col2im(ctx: GpuContext, cols: TensorInfo, spec: PatchSpec): GpuRef {
  const [image, patches] = patchWords(spec);
  const out = ctx.alloc(spec.batch * image);
  if (image > 0) runImages(ctx, 'col2im', spec, gpuRef(cols.ref).buffer, patches, out.buffer, image);
  return out;
}
