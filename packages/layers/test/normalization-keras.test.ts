import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BatchNormalization, LayerNormalization, Sequential, getBackend, initializers, keep, layers, loadModel, mul, setBackend, sum, tensor, toCategorical, valueAndGrad,
  type BatchNormalizationArgs, type Layer, type LayerNormalizationArgs,
} from '../src/index.ts';
import { separable, values, weightValues } from './helpers.ts';
import { kerasCheck } from './keras-python.ts';

/**
 * BatchNormalization and LayerNormalization against Python Keras 3 (JAX) on fixed weights
 * (scripts/make_normalization_fixtures.py): outputs, gradients of sum(output · r) with respect to the
 * input and the trainable weights, and BatchNormalization's moving statistics after a training call.
 */
interface Case {
  name: string;
  className: 'BatchNormalization' | 'LayerNormalization';
  args: BatchNormalizationArgs & LayerNormalizationArgs;
  training: boolean;
  x: number[];
  shape: number[];
  mask?: number[];
  weights: number[][];
  weightNames: string[];
  r: number[];
  output: number[];
  gradX: number[];
  gradWeights: number[][];
  nonTrainableAfter: number[][];
}

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'strata-keras-normalization-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const { cases } = JSON.parse(readFileSync(join(here, 'fixtures/normalization-layers.json'), 'utf8')) as { cases: Case[] };

/** Largest difference relative to the scale of the expected values (at least 1). */
function relDiff(actual: number[], expected: number[]): number {
  expect(actual).toHaveLength(expected.length);
  const scale = Math.max(1, ...expected.map(Math.abs));
  return Math.max(0, ...actual.map((v, i) => Math.abs(v - expected[i]))) / scale;
}

function makeLayer(c: Case): Layer {
  const layer = c.className === 'BatchNormalization' ? new BatchNormalization(c.args) : new LayerNormalization(c.args);
  layer.build([null, ...c.shape.slice(1)]);
  expect(layer.weights.map((w) => w.name.split('/').pop())).toEqual(c.weightNames);
  layer.weights.forEach((w, i) => w.assign(tensor(c.weights[i], w.shape)));
  return layer;
}

describe.each(['cpu', 'webgpu'] as const)('normalization layers vs Keras 3 on %s', (backend) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: output, gradients and moving statistics', async (_name, c) => {
    await setBackend(backend);
    expect(getBackend().name).toBe(backend);
    const layer = makeLayer(c);
    const x = tensor(c.x, c.shape);
    const r = tensor(c.r, c.shape);
    const mask = c.mask && tensor(c.mask.map((m) => m === 1), c.shape.slice(0, -1), 'bool');
    const trainable = layer.trainableWeights;
    let output = x;
    const { value, grads } = valueAndGrad(() => {
      output = keep(layer.apply(x, { training: c.training, mask }));
      return sum(mul(output, r));
    }, [x, ...trainable]);
    value.dispose();
    expect(relDiff(await values(output), c.output)).toBeLessThan(2e-6);
    expect(relDiff(await values(grads[0]), c.gradX)).toBeLessThan(1e-5);
    for (let i = 0; i < c.gradWeights.length; i++) expect(relDiff(await values(grads[i + 1]), c.gradWeights[i])).toBeLessThan(1e-5);
    const after = await Promise.all(layer.nonTrainableWeights.map(values));
    after.forEach((w, i) => expect(relDiff(w, c.nonTrainableAfter[i])).toBeLessThan(2e-6));
  });
});

const maxAbsDiff = (a: number[], b: number[]): number => {
  expect(a).toHaveLength(b.length);
  return Math.max(0, ...a.map((v, i) => Math.abs(v - b[i])));
};

describe('a model with BatchNormalization across Python Keras 3, after training', () => {
  it('Keras loads what Strata trained: the same moving statistics, predictions and next training steps', async () => {
    await setBackend('cpu');
    const { x, labels } = separable(24, 12);
    const y = toCategorical(labels, 3);
    const model = new Sequential([
      layers.dense({ units: 6, inputShape: [4], kernelInitializer: initializers.glorotUniform({ seed: 31 }) }),
      layers.batchNormalization({ momentum: 0.8 }),
      layers.activation({ activation: 'relu' }),
      layers.layerNormalization(),
      layers.dense({ units: 3, activation: 'softmax', kernelInitializer: initializers.glorotUniform({ seed: 32 }) }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    await model.fit(x, y, { epochs: 3, batchSize: 8, verbose: 0 });
    const path = join(dir, 'strata-batchnorm.keras');
    await model.save(path);
    const report = await kerasCheck<{ predictions: number[][]; weights: number[][]; nextLosses: number[] }>({ path, x: await x.array(), y: await y.array() });
    const ours = await weightValues(model);
    expect(report.weights).toEqual(ours); // moving statistics included, bit for bit
    const moving = model.layers[1].nonTrainableWeights.map((w) => model.weights.indexOf(w));
    for (const i of moving) expect(ours[i].some((v) => v !== 0 && v !== 1)).toBe(true); // they moved during fit
    expect(maxAbsDiff(report.predictions.flat(), await values(model.predict(x)))).toBeLessThanOrEqual(1e-5);
    const next = [(await model.trainOnBatch(x, y))[0], (await model.trainOnBatch(x, y))[0]];
    expect(maxAbsDiff(report.nextLosses, next)).toBeLessThanOrEqual(1e-5);
  });

  it('Strata loads what Keras trained (fixture): the same moving statistics, predictions and next training steps', async () => {
    await setBackend('cpu');
    const expected = JSON.parse(readFileSync(join(here, 'fixtures/keras-batchnorm.json'), 'utf8')) as { x: number[][]; y: number[][]; predictions: number[][]; movingMean: number[]; movingVariance: number[]; nextLosses: number[] };
    const model = await loadModel(join(here, 'fixtures/keras-batchnorm.keras'));
    const bn = model.layers[1] as BatchNormalization;
    expect(bn).toBeInstanceOf(BatchNormalization);
    expect(bn.momentum).toBe(0.9);
    expect(await values(bn.movingMean!)).toEqual(expected.movingMean.map(Math.fround));
    expect(await values(bn.movingVariance!)).toEqual(expected.movingVariance.map(Math.fround));
    const x = tensor(expected.x);
    const y = tensor(expected.y);
    expect(maxAbsDiff(await values(model.predict(x)), expected.predictions.flat())).toBeLessThanOrEqual(1e-5);
    const next = [(await model.trainOnBatch(x, y))[0], (await model.trainOnBatch(x, y))[0]];
    expect(maxAbsDiff(next, expected.nextLosses)).toBeLessThanOrEqual(1e-5);
  });
});
