import { add, cast, gather, mul, reshape, sum, tensor, tidy, type Tensor } from '@strata/core';

/**
 * Resampling images through an affine map, with Keras 3's `ops.image.affine_transform` semantics (JAX's
 * `map_coordinates`): output pixel (x, y) reads the input at (a0·x + a1·y + a2, b0·x + b1·y + b2).
 * The sample positions and weights are computed here, on the host, and the device does one gather of
 * the corner pixels and one weighted sum, the same two ops on every backend.
 */

export const FILL_MODES = ['reflect', 'wrap', 'constant', 'nearest'] as const;
export type FillMode = (typeof FILL_MODES)[number];
export const INTERPOLATIONS = ['bilinear', 'nearest'] as const;
export type Interpolation = (typeof INTERPOLATIONS)[number];

/** [a0, a1, a2, b0, b1, b2]: input x = a0·x + a1·y + a2, input y = b0·x + b1·y + b2 (Keras's first six numbers). */
export type Affine = readonly [number, number, number, number, number, number];

export interface Sampling {
  fillMode: FillMode;
  interpolation: Interpolation;
  /** The value outside the image when fillMode is 'constant'. */
  fillValue: number;
}

/** Python's floor modulo (non-negative for a positive divisor). */
const floorMod = (a: number, n: number): number => ((a % n) + n) % n;

/** Reflection about the pixel edges: d c b a | a b c d | d c b a (JAX's 'reflect' index fixer). */
function reflectIndex(i: number, size: number): number {
  const s = 2 * size; // half-wavelength of the triangular wave over 2i + 1 and 2·size + 1
  const mirrored = Math.abs(floorMod(2 * i + 1 + s, 2 * s) - s);
  return Math.floor((mirrored - 1) / 2);
}

/** Where an integer index outside [0, size) reads from; for 'constant' the index itself (checked later). */
function fixIndex(mode: FillMode, i: number, size: number): number {
  switch (mode) {
    case 'reflect': return reflectIndex(i, size);
    case 'wrap': return floorMod(i, size);
    case 'nearest': return Math.min(Math.max(i, 0), size - 1);
    case 'constant': return i;
  }
}

/**
 * The 1-D interpolation nodes of coordinate c (indices into `index`, weights into `weight`, no allocation:
 * this runs for every pixel of every training batch); returns how many.
 */
function nodes(interpolation: Interpolation, c: number, index: Float64Array, weight: Float64Array): number {
  if (interpolation === 'nearest') {
    index[0] = Math.sign(c) * Math.round(Math.abs(c)); // half away from zero
    weight[0] = 1;
    return 1;
  }
  const lower = Math.floor(c);
  index[0] = lower;
  index[1] = lower + 1;
  weight[1] = c - lower;
  weight[0] = 1 - weight[1];
  return 2;
}

/** Gather rows (into the [n·h·w, c] pixel matrix), their weights, and the fill weight of each output pixel. */
export interface SamplePlan {
  rows: Int32Array;
  weights: Float32Array;
  /** Per output pixel, the total weight of corners outside the image (they read fillValue). */
  outside: Float32Array;
  corners: number;
}

/** The plan for images of [n, height, width, ·] under one transform per image. */
export function samplePlan(shape: readonly number[], transforms: readonly Affine[], sampling: Sampling): SamplePlan {
  const [n, height, width] = shape;
  const corners = sampling.interpolation === 'nearest' ? 1 : 4;
  const pixels = n * height * width;
  const rows = new Int32Array(pixels * corners);
  const weights = new Float32Array(pixels * corners);
  const outside = new Float32Array(pixels);
  const [iy, wy, ix, wx] = [new Float64Array(2), new Float64Array(2), new Float64Array(2), new Float64Array(2)];
  for (let b = 0; b < n; b++) {
    const [a0, a1, a2, b0, b1, b2] = transforms[b];
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = (b * height + y) * width + x;
        let k = p * corners;
        const ny = nodes(sampling.interpolation, b0 * x + b1 * y + b2, iy, wy);
        const nx = nodes(sampling.interpolation, a0 * x + a1 * y + a2, ix, wx);
        for (let j = 0; j < ny; j++) {
          const fy = fixIndex(sampling.fillMode, iy[j], height);
          for (let i = 0; i < nx; i++, k++) {
            const fx = fixIndex(sampling.fillMode, ix[i], width);
            if (fy < 0 || fy >= height || fx < 0 || fx >= width) {
              outside[p] += wy[j] * wx[i]; // only 'constant' leaves an index outside
            } else {
              rows[k] = (b * height + fy) * width + fx;
              weights[k] = wy[j] * wx[i];
            }
          }
        }
      }
    }
  }
  return { rows, weights, outside, corners };
}

/** `images` [n, h, w, c] resampled under `transforms` (one per image). */
export function affineTransform(images: Tensor, transforms: readonly Affine[], sampling: Sampling): Tensor {
  const [n, h, w, c] = images.shape;
  if (transforms.length !== n) throw new Error(`affineTransform: ${transforms.length} transforms for a batch of ${n} images`);
  const plan = samplePlan(images.shape, transforms, sampling);
  const pixels = n * h * w;
  return tidy(() => {
    const x = images.dtype === 'float32' ? images : cast(images, 'float32');
    const picked = reshape(gather(reshape(x, [pixels, c]), tensor(plan.rows, [plan.rows.length], 'int32')), [pixels, plan.corners, c]);
    const out = sum(mul(picked, tensor(plan.weights, [pixels, plan.corners, 1])), 1);
    const filled = sampling.fillMode === 'constant' && sampling.fillValue !== 0 ? add(out, mul(tensor(plan.outside, [pixels, 1]), sampling.fillValue)) : out;
    return reshape(filled, [n, h, w, c]);
  });
}
