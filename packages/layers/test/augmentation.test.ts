import { describe, expect, it } from 'vitest';
import { rotation, zoom } from '../src/layers/augmentation.ts';
import {
  FILL_MODES, INTERPOLATIONS, RandomFlip, memory, mul, sum, valueAndGrad, RandomRotation, RandomTranslation, RandomZoom, Sequential, initializers, layers, setBackend, setRandomSeed, tensor,
  type FillMode, type Interpolation, type Layer, type Tensor,
} from '../src/index.ts';
import { values } from './helpers.ts';

/** The augmentation layers' transforms against a float64 reference, their training switch, seeds and errors. */

const SHAPE = [2, 5, 8, 2];
const pixels = (shape: number[], seed: number): number[] =>
  Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) * 0.5 + Math.cos(i * 0.37));

/** Where integer index i of an axis of `n` reads under `mode`, by stepping back into range (null: outside, for 'constant'). */
function refIndex(mode: FillMode, i: number, n: number): number | null {
  if (mode === 'constant') return i >= 0 && i < n ? i : null;
  if (mode === 'nearest') return i < 0 ? 0 : i >= n ? n - 1 : i;
  let j = i;
  while (j < 0 || j >= n) {
    if (mode === 'wrap') j += j < 0 ? n : -n;
    else j = j < 0 ? -j - 1 : 2 * n - 1 - j; // reflect about the edge of the first/last pixel
  }
  return j;
}

/** The image sampled at (row, col) of input-space coordinates, in float64. */
function refSample(img: (y: number, x: number) => number, h: number, w: number, row: number, col: number, mode: FillMode, interp: Interpolation, fill: number): number {
  const roundAway = (v: number): number => (v < 0 ? -Math.round(-v) : Math.round(v));
  const taps = (c: number): [number, number][] => (interp === 'nearest' ? [[roundAway(c), 1]] : [[Math.floor(c), 1 - (c - Math.floor(c))], [Math.floor(c) + 1, c - Math.floor(c)]]);
  let total = 0;
  for (const [iy, wy] of taps(row)) {
    for (const [ix, wx] of taps(col)) {
      const y = refIndex(mode, iy, h);
      const x = refIndex(mode, ix, w);
      total += wy * wx * (y === null || x === null ? fill : img(y, x));
    }
  }
  return total;
}

/** Reference of rotating by `angle` and scaling by (zy, zx) about the centre: input = c + Z·R(angle)·(out − c). */
function reference(data: number[], shape: number[], params: { angle: number; zy: number; zx: number }[], mode: FillMode, interp: Interpolation, fill: number): number[] {
  const [n, h, w, ch] = shape;
  const out: number[] = [];
  for (let b = 0; b < n; b++) {
    const { angle, zy, zx } = params[b];
    const [cy, cx] = [(h - 1) / 2, (w - 1) / 2];
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const [dx, dy] = [x - cx, y - cy];
        const col = cx + zx * (Math.cos(angle) * dx - Math.sin(angle) * dy);
        const row = cy + zy * (Math.sin(angle) * dx + Math.cos(angle) * dy);
        for (let c = 0; c < ch; c++) out.push(refSample((yy, xx) => data[((b * h + yy) * w + xx) * ch + c], h, w, row, col, mode, interp, fill));
      }
    }
  }
  return out;
}

/** The product of a rotation and a zoom as one Keras-style transform (zoom applied after the rotation). */
function rotateZoom(angle: number, zy: number, zx: number, h: number, w: number): readonly [number, number, number, number, number, number] {
  const [r0, r1, r2, s0, s1, s2] = rotation(angle, h, w);
  const [z0, , z2, , z4, z5] = zoom(zy, zx, h, w);
  return [z0 * r0, z0 * r1, z0 * r2 + z2, z4 * s0, z4 * s1, z4 * s2 + z5];
}

const maxDiff = (a: number[], b: number[]): number => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

describe.each(['cpu', 'webgpu'] as const)('augmentation transforms on %s', (backend) => {
  const data = pixels(SHAPE, 1);
  const params = [{ angle: 0.7, zy: 1.3, zx: 0.8 }, { angle: -2.2, zy: 0.6, zx: 1.1 }];

  it.each(FILL_MODES.flatMap((m) => INTERPOLATIONS.map((i) => [m, i] as const)))('rotation × zoom, fill %s, %s: the float64 reference', async (fillMode, interpolation) => {
    await setBackend(backend);
    const layer = new RandomRotation({ factor: 0.1, fillMode, interpolation, fillValue: -0.75 });
    const [, h, w] = SHAPE;
    const out = layer.transform(tensor(data, SHAPE), params.map((p) => rotateZoom(p.angle, p.zy, p.zx, h, w)));
    expect(maxDiff(await values(out), reference(data, SHAPE, params, fillMode, interpolation, -0.75))).toBeLessThanOrEqual(1e-5);
  });

  it('the gradient to the input is the adjoint of the resampling (an augmentation after a trainable layer)', async () => {
    await setBackend(backend);
    const shape = [1, 4, 5, 1];
    const [img, r] = [pixels(shape, 7), pixels(shape, 8)];
    const p = [{ angle: 0.4, zy: 1.2, zx: 0.9 }];
    const layer = new RandomRotation({ factor: 0.1, fillMode: 'constant', fillValue: 2 });
    const x = tensor(img, shape);
    const { grads } = valueAndGrad(() => sum(mul(layer.transform(x, [rotateZoom(0.4, 1.2, 0.9, 4, 5)]), tensor(r, shape))), [x]);
    // the map is affine in the image, so a unit step of one pixel gives that pixel's derivative exactly
    const f = (v: number[]): number => reference(v, shape, p, 'constant', 'bilinear', 2).reduce((a, o, i) => a + o * r[i], 0);
    const expected = img.map((_, i) => f(img.map((v, j) => (j === i ? v + 1 : v))) - f(img));
    expect(maxDiff(await values(grads[0]), expected)).toBeLessThanOrEqual(1e-5);
  });

  it('a quarter turn of a square image (nearest) moves each pixel where a transpose and a flip put it', async () => {
    await setBackend(backend);
    const square = pixels([1, 5, 5, 1], 2);
    const out = await values(new RandomRotation({ factor: [0.25, 0.25], interpolation: 'nearest' }).apply(tensor(square, [1, 5, 5, 1]), { training: true }) as Tensor);
    expect(out).toEqual(Array.from({ length: 25 }, (_, p) => Math.fround(square[(p % 5) * 5 + (4 - Math.floor(p / 5))])));
  });

  it('every layer is the identity at inference and transforms when training', async () => {
    await setBackend(backend);
    const x = tensor(data, SHAPE);
    const all: Layer[] = [
      new RandomFlip({ seed: 3 }), new RandomTranslation({ heightFactor: 0.3, widthFactor: 0.3, seed: 3 }),
      new RandomRotation({ factor: 0.2, seed: 3 }), new RandomZoom({ heightFactor: 0.3, seed: 3 }),
    ];
    for (const layer of all) {
      expect(await values(layer.apply(x) as Tensor)).toEqual(await values(x));
      // with seed 3 the first call flips at least one of the two images: every layer moves pixels
      expect(maxDiff(await values(layer.apply(x, { training: true }) as Tensor), await values(x))).toBeGreaterThan(0.05);
    }
  });
});

describe('augmentation seeds', () => {
  const data = pixels(SHAPE, 4);
  const draw = async (layer: Layer): Promise<number[]> => values(layer.apply(tensor(data, SHAPE), { training: true }) as Tensor);
  const make = (seed?: number): Layer => new RandomRotation({ factor: 0.5, fillMode: 'constant', seed });

  it('a seeded layer draws the same transforms on CPU and WebGPU, and new ones on each call', async () => {
    await setBackend('cpu');
    const cpu = make(11);
    const [first, second] = [await draw(cpu), await draw(cpu)];
    await setBackend('webgpu');
    const gpu = make(11);
    expect(maxDiff(await draw(gpu), first)).toBeLessThanOrEqual(1e-5);
    expect(maxDiff(await draw(gpu), second)).toBeLessThanOrEqual(1e-5);
    expect(maxDiff(first, second)).toBeGreaterThan(0.05);
  });

  it('setRandomSeed makes unseeded layers reproducible', async () => {
    await setBackend('cpu');
    setRandomSeed(5);
    const a = await draw(make());
    setRandomSeed(5);
    const b = await draw(make());
    setRandomSeed(undefined);
    expect(b).toEqual(a);
  });

  it('trainOnBatch runs the layers in training mode, predict does not', async () => {
    await setBackend('cpu');
    // shifting the ones image down by half its height with zero fill halves the sum the dense layer takes
    const model = new Sequential([
      layers.input({ shape: [4, 4, 1] }),
      layers.randomTranslation({ heightFactor: [0.5, 0.5], widthFactor: 0, fillMode: 'constant' }),
      layers.flatten(),
      layers.dense({ units: 1, kernelInitializer: initializers.ones(), useBias: false }),
    ]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const x = tensor(new Array<number>(16).fill(1), [1, 4, 4, 1]);
    expect(await values(model.predict(x) as Tensor)).toEqual([16]);
    const [loss] = await model.trainOnBatch(x, tensor([0], [1, 1]));
    expect(loss).toBeCloseTo(64, 4);
  });
});

describe('augmentation layer options', () => {
  it('factories build the classes with Keras defaults', () => {
    expect(layers.randomFlip()).toBeInstanceOf(RandomFlip);
    expect(layers.randomFlip().getConfig()).toMatchObject({ mode: 'horizontal_and_vertical', dataFormat: 'channels_last' });
    expect(layers.randomRotation({ factor: -0.2 }).getConfig()).toMatchObject({ factor: [-0.2, 0.2], fillMode: 'reflect', interpolation: 'bilinear', fillValue: 0 });
    expect(layers.randomTranslation({ heightFactor: 0.1, widthFactor: [0.3, -0.2] })).toBeInstanceOf(RandomTranslation);
    expect(layers.randomZoom({ heightFactor: 0.2 }).getConfig()).toMatchObject({ heightFactor: 0.2, widthFactor: null });
    expect(layers.randomZoom({ heightFactor: 0.2 }).computeOutputShape([null, 9, 7, 3])).toEqual([null, 9, 7, 3]);
  });

  it('bad options are errors naming the layer and the valid choices', () => {
    expect(() => layers.randomRotation({ factor: 1.5 })).toThrow('RandomRotation: factor must be a number or a pair [lower, upper] of numbers in [-1, 1], got 1.5');
    expect(() => layers.randomTranslation({ heightFactor: [0.1, 0.2, 0.3] as unknown as number, widthFactor: 0 })).toThrow('RandomTranslation: heightFactor must be');
    expect(() => layers.randomZoom({ heightFactor: -1 })).toThrow('RandomZoom: heightFactor must be a number or a pair [lower, upper] of numbers in (-1, 1], got -1');
    expect(() => layers.randomRotation({ factor: 0.1, fillMode: 'mirror' as FillMode })).toThrow('RandomRotation: unknown fillMode "mirror"; expected one of reflect, wrap, constant, nearest');
    expect(() => layers.randomZoom({ heightFactor: 0.1, interpolation: 'bicubic' as Interpolation })).toThrow('RandomZoom: unknown interpolation "bicubic"; expected one of bilinear, nearest');
    expect(() => layers.randomFlip({ mode: 'diagonal' as 'vertical' })).toThrow('RandomFlip: unknown mode "diagonal"; expected one of horizontal, vertical, horizontal_and_vertical');
    expect(() => layers.randomFlip({ dataFormat: 'channels_first' as 'channels_last' })).toThrow('RandomFlip: data_format "channels_first" is not supported');
    expect(() => layers.randomRotation({ factor: 0.1, fillValue: Number.NaN })).toThrow('RandomRotation: fillValue must be a finite number');
    expect(() => layers.randomFlip({ name: 'flip' }).computeOutputShape([null, 28, 28])).toThrow('RandomFlip "flip": expected input of rank 4 (batch, height, width, channels), got (None, 28, 28)');
  });
});

describe('augmentation layers in a model', () => {
  it('summary lists them with their output shapes and no parameters, as Keras does', () => {
    const lines: string[] = [];
    new Sequential([
      layers.input({ shape: [28, 28, 1] }), layers.randomFlip({ name: 'random_flip' }), layers.randomRotation({ factor: 0.1, name: 'random_rotation' }),
      layers.flatten({ name: 'flatten' }), layers.dense({ units: 10, name: 'dense' }),
    ], { name: 'sequential' }).summary((line) => lines.push(line));
    const rows = lines.filter((l) => l.startsWith('│'));
    expect(rows.slice(0, 2)).toEqual([
      '│ random_flip (RandomFlip)        │ (None, 28, 28, 1)      │             0 │',
      '│ random_rotation                 │ (None, 28, 28, 1)      │             0 │',
    ]);
    expect(lines.join('\n')).toContain('Total params: 7,850');
  });

  it('a training call outside tidy leaves only its output behind', async () => {
    await setBackend('cpu');
    const x = tensor(pixels(SHAPE, 6), SHAPE);
    const before = memory().numTensors;
    const out = new RandomZoom({ heightFactor: 0.3, fillMode: 'constant', fillValue: 1 }).apply(x, { training: true }) as Tensor;
    expect(memory().numTensors).toBe(before + 1);
    out.dispose();
  });
});
