import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { layerFromKeras } from '../src/io/layer-config.ts';
import { IDENTITY, flip } from '../src/layers/augmentation.ts';
import { RandomFlip, Sequential, initializers, layers, loadModel, setBackend, tensor, type Layer, type Tensor } from '../src/index.ts';
import { values } from './helpers.ts';
import { kerasScript } from './keras-python.ts';

/**
 * The augmentation layers against Python Keras 3 (scripts/make_augmentation_fixtures.py): a factor with a
 * zero-width range makes Keras's random transform a fixed one, so a training call of the same layer in
 * Strata must give Keras's output; models with the layers travel both ways (identity at inference).
 */
const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): string => join(here, 'fixtures', name);
interface Case { class_name: string; config: Record<string, unknown>; flips?: boolean[]; output: number[] }
const expected = JSON.parse(readFileSync(fixture('augmentation.json'), 'utf8')) as { shape: number[]; x: number[]; cases: Case[]; model: { predictions: number[] } };
const [, H, W] = expected.shape;

function maxAbsDiff(a: number[], b: number[]): number {
  expect(a).toHaveLength(b.length);
  return Math.max(0, ...a.map((v, i) => Math.abs(v - b[i])));
}

const label = (c: Case): string => `${c.class_name} ${JSON.stringify(Object.fromEntries(Object.entries(c.config).filter(([k]) => /factor|fill|interp|mode/.test(k))))}`;

function kerasLayer(c: Case): Layer {
  return layerFromKeras({ class_name: c.class_name, config: c.config }, 'fixture');
}

describe.each(['cpu', 'webgpu'] as const)('augmentation layers match Keras 3 on %s', (backend) => {
  it.each(expected.cases.map((c) => [label(c), c] as const))('%s', async (_, c) => {
    await setBackend(backend);
    const layer = kerasLayer(c);
    const x = tensor(expected.x, expected.shape);
    const out = c.flips
      ? (layer as RandomFlip).transform(x, c.flips.map((f) => (f ? flip((layer as RandomFlip).mode, H, W) : IDENTITY)))
      : (layer.apply(x, { training: true }) as Tensor);
    expect(maxAbsDiff(await values(out), c.output)).toBeLessThanOrEqual(1e-5);
    // the transform moved pixels (a fixture that left the images as they were would prove nothing)
    expect(maxAbsDiff(c.output, expected.x)).toBeGreaterThan(0.1);
  });

  it('a Keras model with the four layers loads and predicts what Keras predicted (identity at inference)', async () => {
    await setBackend(backend);
    const model = await loadModel(fixture('augmentation-model.keras'));
    expect(model.layers.map((l) => l.className).slice(0, 4)).toEqual(['RandomFlip', 'RandomTranslation', 'RandomRotation', 'RandomZoom']);
    const out = model.predict(tensor(expected.x, expected.shape)) as Tensor;
    expect(maxAbsDiff(await values(out), expected.model.predictions)).toBeLessThanOrEqual(1e-5);
  });
});

describe('augmentation models saved by Strata load in Python Keras 3', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-keras-augment-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('Keras rebuilds every layer with its options and predicts what Strata predicts', async () => {
    await setBackend('cpu');
    const model = new Sequential([
      layers.input({ shape: expected.shape.slice(1) }),
      layers.randomFlip({ mode: 'vertical', seed: 4 }),
      layers.randomTranslation({ heightFactor: [-0.1, 0.2], widthFactor: 0.3, fillMode: 'constant', fillValue: -1, interpolation: 'nearest' }),
      layers.randomRotation({ factor: 0.25, fillMode: 'wrap' }),
      layers.randomZoom({ heightFactor: 0.2, widthFactor: [-0.3, 0.1], fillMode: 'nearest', seed: 9 }),
      layers.conv2d({ filters: 2, kernelSize: 3, kernelInitializer: initializers.glorotUniform({ seed: 1 }) }),
      layers.flatten(),
      layers.dense({ units: 3, kernelInitializer: initializers.glorotUniform({ seed: 2 }) }),
    ]);
    const path = join(dir, 'augment.keras');
    await model.save(path);
    const ours = await values(model.predict(tensor(expected.x, expected.shape)) as Tensor);
    const [[theirs], configs] = await kerasScript<[number[][], Record<string, unknown>[]]>('keras_augmentation_configs.py', { path, x: expected.x, shape: expected.shape });
    expect(maxAbsDiff(theirs, ours)).toBeLessThanOrEqual(1e-5);
    // the layers given no seed carry the one Strata drew, so seeds are compared where they were chosen
    const options = [
      { class_name: 'RandomFlip', mode: 'vertical', seed: 4 },
      { class_name: 'RandomTranslation', height_factor: [-0.1, 0.2], width_factor: 0.3, fill_mode: 'constant', fill_value: -1, interpolation: 'nearest' },
      { class_name: 'RandomRotation', factor: [-0.25, 0.25], fill_mode: 'wrap', fill_value: 0, interpolation: 'bilinear' },
      { class_name: 'RandomZoom', height_factor: 0.2, width_factor: [-0.3, 0.1], fill_mode: 'nearest', fill_value: 0, interpolation: 'bilinear', seed: 9 },
    ];
    expect(configs).toHaveLength(options.length);
    options.forEach((o, i) => expect(configs[i]).toMatchObject(o));
  }, 120_000);
});
