import { expect, it } from 'vitest';
import type { PatchSpec } from '@strata/core';
import { seeded, tensor, upload, useBackend } from './helpers.ts';

/**
 * im2col and col2im split by whole images when their buffers exceed the binding limit (lowered to 64 KiB,
 * 16 workgroups per dimension, as in limits.test.ts). im2col is checked against a JS loop, col2im as its
 * adjoint: ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩.
 */
const backend = useBackend({ limits: { maxStorageBufferBindingSize: 64 * 1024, maxComputeWorkgroupsPerDimension: 16 } });

const spec: PatchSpec = {
  batch: 8, height: 11, width: 9, channels: 24, kernelHeight: 3, kernelWidth: 2, strideHeight: 2, strideWidth: 1,
  dilationHeight: 1, dilationWidth: 2, padTop: 1, padLeft: 1, outHeight: 6, outWidth: 9,
};
const imageSize = spec.batch * spec.height * spec.width * spec.channels;
const colsSize = spec.batch * spec.outHeight * spec.outWidth * spec.kernelHeight * spec.kernelWidth * spec.channels;

function im2colRef(x: Float32Array, pad: number): Float32Array {
  const out = new Float32Array(colsSize);
  let e = 0;
  for (let n = 0; n < spec.batch; n++) for (let y = 0; y < spec.outHeight; y++) for (let xo = 0; xo < spec.outWidth; xo++) {
    for (let i = 0; i < spec.kernelHeight; i++) for (let j = 0; j < spec.kernelWidth; j++) for (let c = 0; c < spec.channels; c++) {
      const iy = y * spec.strideHeight + i * spec.dilationHeight - spec.padTop;
      const ix = xo * spec.strideWidth + j * spec.dilationWidth - spec.padLeft;
      const inside = iy >= 0 && iy < spec.height && ix >= 0 && ix < spec.width;
      out[e++] = inside ? x[((n * spec.height + iy) * spec.width + ix) * spec.channels + c] : pad;
    }
  }
  return out;
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>): number => Array.from(a).reduce((s, v, i) => s + v * b[i], 0);

it('im2col and col2im over buffers larger than one binding give the unsplit results', async () => {
  const b = backend();
  expect(imageSize * 4).toBeGreaterThan(64 * 1024);
  expect(colsSize * 4).toBeGreaterThan(3 * 64 * 1024);
  const xs = seeded(imageSize, 3);
  const cs = seeded(colsSize, 4);
  const x = upload(b, xs, [spec.batch, spec.height, spec.width, spec.channels]);
  const c = upload(b, cs, [colsSize]);
  const before = b.stats().dispatches;
  const cols = await b.read(tensor(b.im2col(x, spec, -7), [colsSize]));
  const dx = await b.read(tensor(b.col2im(c, spec), [imageSize]));
  expect(b.stats().dispatches - before, 'the work was split into several dispatches').toBeGreaterThan(2);
  expect(Array.from(cols)).toEqual(Array.from(im2colRef(xs, -7)));
  const lhs = dot(im2colRef(xs, 0), cs);
  expect(Math.abs(dot(xs, dx) - lhs)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(lhs)));
});
