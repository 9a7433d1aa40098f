import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BatchNormalization, LayerNormalization, getBackend, keep, mul, setBackend, sum, tensor, valueAndGrad, type BatchNormalizationArgs, type Layer, type LayerNormalizationArgs } from '../src/index.ts';
import { values } from './helpers.ts';

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
