import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Model, getBackend, initializers, input, keep, layers, loadModel, mul, setBackend, sum, tensor, valueAndGrad, type Tensor } from '../src/index.ts';
import { relDiff, values } from './helpers.ts';
import { kerasScript } from './keras-python.ts';

/**
 * DepthwiseConv2D, SeparableConv2D and Conv2DTranspose against Python Keras 3 (JAX): each case is a
 * one-layer model (the last, all-three, a chain of the three) Keras made with fixed weights
 * (scripts/make_conv_variant_fixtures.py), loaded from its .keras file. The output and the gradients of
 * sum(output · r) with respect to the input and every weight must match Keras's on both backends; saved
 * again by Strata, a case of each layer and the chain must load in Keras and predict the same, and so
 * must a model built by Strata from the factories.
 */
interface Case {
  name: string;
  x: number[];
  shape: number[];
  output: number[];
  outputShape: number[];
  r: number[];
  gradX: number[];
  gradWeights: number[][];
  weightShapes: number[][];
  params: number;
}

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): string => join(here, `fixtures/conv-variant-${name}.keras`);
const { cases } = JSON.parse(readFileSync(join(here, 'fixtures/conv-variants.json'), 'utf8')) as { cases: Case[] };

describe.each(['cpu', 'webgpu'] as const)('depthwise, separable and transposed convolutions vs Keras 3 on %s', (backend) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: output and gradients', async (_name, c) => {
    await setBackend(backend);
    expect(getBackend().name).toBe(backend);
    const model = (await loadModel(fixture(c.name))) as Model;
    expect(model.countParams()).toBe(c.params);
    const weights = model.trainableWeights;
    expect(weights.map((w) => w.shape)).toEqual(c.weightShapes);
    const x = tensor(c.x, c.shape);
    const r = tensor(c.r, c.outputShape);
    let output: Tensor | undefined;
    const { value, grads } = valueAndGrad(() => {
      output = keep(model.applyOutputs(x, { training: false })[0]);
      return sum(mul(output, r));
    }, [x, ...weights]);
    value.dispose();
    if (!output) throw new Error('no output');
    expect(output.shape).toEqual(c.outputShape);
    expect(relDiff(await values(output), c.output)).toBeLessThan(2e-6);
    expect(relDiff(await values(grads[0]), c.gradX)).toBeLessThan(1e-5);
    for (let i = 0; i < c.gradWeights.length; i++) expect(relDiff(await values(grads[i + 1]), c.gradWeights[i])).toBeLessThan(1e-5);
  });
});

/** Every new layer in one model, with seeded weights and random biases, built from the factories. */
function strataModel(): Model {
  let seed = 80;
  const init = () => initializers.glorotUniform({ seed: seed++ });
  const bias = () => initializers.randomNormal({ stddev: 0.1, seed: seed++ });
  const image = input({ shape: [9, 8, 3] });
  let x = layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same', activation: 'relu', depthwiseInitializer: init(), biasInitializer: bias() }).apply(image);
  x = layers.separableConv2d({ filters: 5, kernelSize: [3, 2], strides: 2, depthwiseInitializer: init(), pointwiseInitializer: init(), biasInitializer: bias() }).apply(x);
  x = layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', outputPadding: 1, activation: 'tanh', kernelInitializer: init(), biasInitializer: bias() }).apply(x);
  x = layers.conv2dTranspose({ filters: 2, kernelSize: [2, 3], dilationRate: 2, kernelInitializer: init(), biasInitializer: bias() }).apply(x);
  return new Model({ inputs: image, outputs: x });
}

describe('depthwise, separable and transposed convolution models saved by Strata load in Python Keras 3', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-keras-conv-variants-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a fixture case of each layer and a factory-built model: same predictions in Keras after a Strata save', async () => {
    await setBackend('cpu');
    // One case of each layer with most of its options, and the chain (Keras takes seconds per model to load and compile).
    const saved = cases.filter((c) => ['depthwise-dilation-no-bias', 'separable-same-strides-tanh', 'transpose-output-padding-same', 'all-three'].includes(c.name));
    const requests = await Promise.all(saved.map(async (c) => {
      const model = (await loadModel(fixture(c.name))) as Model;
      const path = join(dir, `${c.name}.keras`);
      await model.save(path);
      return { path, x: c.x, shape: c.shape };
    }));
    const built = strataModel();
    const shape = [2, 9, 8, 3];
    const xs = Array.from({ length: 2 * 9 * 8 * 3 }, (_, i) => Math.sin(i * 0.37));
    const ours = await values(built.predict(tensor(xs, shape)) as Tensor);
    await built.save(join(dir, 'built.keras'));
    const predictions = await kerasScript<number[][][]>('keras_predict.py', [...requests, { path: join(dir, 'built.keras'), x: xs, shape }]);
    saved.forEach((c, i) => expect(relDiff(predictions[i][0], c.output), c.name).toBeLessThan(1e-6));
    expect(relDiff(predictions[saved.length][0], ours)).toBeLessThan(1e-5);
    expect(new Set(ours.map((v) => v.toFixed(4))).size).toBeGreaterThan(10);
  }, 120_000);
});
