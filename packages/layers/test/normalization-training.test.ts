import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BatchNormalization, Layer, Model, Sequential, initializers, input, layers, loadModel, memory, modelFromJSON, mul, setBackend, sum, tensor, tidy, toCategorical, valueAndGrad,
  type BatchNormalizationArgs, type CallOptions, type LayerNormalizationArgs, type Tensor,
} from '../src/index.ts';
import { separable, values, weightValues } from './helpers.ts';

/** BatchNormalization inside fit/evaluate/predict, LayerNormalization, summary, errors, finite differences. */
const dir = mkdtempSync(join(tmpdir(), 'strata-normalization-'));
beforeAll(() => setBackend('cpu'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seeded = (seed: number) => initializers.glorotUniform({ seed });

function bnModel(momentum = 0.9): { model: Sequential; bn: BatchNormalization } {
  const bn = layers.batchNormalization({ momentum, name: 'bn' });
  const model = new Sequential([
    layers.dense({ units: 5, inputShape: [4], kernelInitializer: seeded(1), name: 'hidden' }),
    bn,
    layers.activation({ activation: 'relu' }),
    layers.dense({ units: 3, activation: 'softmax', kernelInitializer: seeded(2) }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return { model, bn };
}

/** Per-column mean and biased variance of a [rows, cols] matrix given row-major. */
function columnMoments(flat: number[], cols: number): { mean: number[]; variance: number[] } {
  const rows = flat.length / cols;
  const mean = Array.from({ length: cols }, (_, j) => flat.filter((_, i) => i % cols === j).reduce((a, b) => a + b, 0) / rows);
  const variance = mean.map((m, j) => flat.filter((_, i) => i % cols === j).reduce((a, v) => a + (v - m) ** 2, 0) / rows);
  return { mean, variance };
}

const maxAbsDiff = (a: number[], b: number[]): number => {
  expect(a).toHaveLength(b.length);
  return Math.max(0, ...a.map((v, i) => Math.abs(v - b[i])));
};

describe('BatchNormalization in training and inference', () => {
  it('trainOnBatch moves the moving statistics toward the batch statistics; evaluate and predict use them and leave them alone', async () => {
    const { x, labels } = separable(12, 3);
    const y = toCategorical(labels, 3);
    const { model, bn } = bnModel(0.9);
    const hidden = model.getLayer('hidden');
    const before = columnMoments(await values(tidy(() => hidden.apply(x))), 5);
    await model.trainOnBatch(x, y);
    // moving = moving·0.9 + batch·0.1, from the initial 0 and 1, with the statistics before the step
    expect(maxAbsDiff(await values(bn.movingMean!), before.mean.map((m) => 0.1 * m))).toBeLessThan(1e-5);
    expect(maxAbsDiff(await values(bn.movingVariance!), before.variance.map((v) => 0.9 + 0.1 * v))).toBeLessThan(1e-5);

    const stats = await Promise.all([bn.movingMean!, bn.movingVariance!].map(values));
    await model.evaluate(x, y, { verbose: 0 });
    const features = new Model({ inputs: model.inputs, outputs: bn.output });
    const normalized = await values(features.predict(x));
    expect(await Promise.all([bn.movingMean!, bn.movingVariance!].map(values))).toEqual(stats);
    // inference: gamma · (h − moving_mean) / sqrt(moving_variance + 1e-3) + beta, with the trained weights
    const h = await values(tidy(() => hidden.apply(x)));
    const [gamma, beta] = await Promise.all([bn.gamma!, bn.beta!].map(values));
    const expected = h.map((v, i) => gamma[i % 5] * (v - stats[0][i % 5]) / Math.sqrt(stats[1][i % 5] + 1e-3) + beta[i % 5]);
    expect(maxAbsDiff(normalized, expected)).toBeLessThan(1e-5);
    expect(model.optimizer.iterations).toBe(1);
  });

  it('fit that rejects its inputs leaves every weight, moving statistics included, unchanged', async () => {
    const { x, labels } = separable(12, 4);
    const y = toCategorical(labels, 3);
    const { model } = bnModel();
    await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0 });
    const before = await weightValues(model);
    await expect(model.fit(tensor(Array.from({ length: 36 }, () => 1), [12, 3]), y, { verbose: 0 })).rejects.toThrow(/incompatible|expected/);
    await expect(model.fit(x, y, { batchSize: 0, verbose: 0 })).rejects.toThrow(/batchSize/);
    await expect(model.fit(x, tensor(Array.from({ length: 12 }, () => 7), [12], 'int32'), { verbose: 0 })).rejects.toThrow();
    expect(await weightValues(model)).toEqual(before);
  });

  it('a training step that fails after BatchNormalization ran drops its moving-statistics update and leaks nothing', async () => {
    class FailsInTraining extends Layer {
      override readonly className = 'FailsInTraining';
      call(inputs: Tensor, options: CallOptions): Tensor {
        if (options.training) throw new Error('FailsInTraining: refused');
        return inputs;
      }
    }
    const { x, labels } = separable(8, 5);
    const y = toCategorical(labels, 3);
    const bn = layers.batchNormalization();
    const model = new Sequential([layers.dense({ units: 3, inputShape: [4], kernelInitializer: seeded(3) }), bn, new FailsInTraining(), layers.activation({ activation: 'softmax' })]);
    model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
    model.predict(x).dispose();
    const before = await weightValues(model);
    const tensors = memory().numTensors;
    await expect(model.trainOnBatch(x, y)).rejects.toThrow(/refused/);
    expect(await weightValues(model)).toEqual(before);
    expect(memory().numTensors).toBe(tensors);
  });

  it('a frozen BatchNormalization (trainable false) runs in inference mode in fit: nothing in it changes', async () => {
    const { x, labels } = separable(12, 6);
    const y = toCategorical(labels, 3);
    const { model, bn } = bnModel();
    bn.trainable = false;
    expect(model.trainableWeights.map((w) => w.name)).not.toContain('bn/gamma');
    const before = await Promise.all(bn.weights.map(values));
    const others = await Promise.all(model.getLayer('hidden').weights.map(values));
    await model.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 });
    expect(await Promise.all(bn.weights.map(values))).toEqual(before);
    expect(await Promise.all(model.getLayer('hidden').weights.map(values))).not.toEqual(others);
  });

  it('training steps leak nothing: the batch statistics held back for the update are freed with the step', async () => {
    const { x, labels } = separable(8, 9);
    const y = toCategorical(labels, 3);
    const { model } = bnModel();
    await model.trainOnBatch(x, y);
    const tensors = memory().numTensors;
    for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);
    expect(memory().numTensors).toBe(tensors);
  });

  it('a mask carried from Embedding(maskZero) limits the batch statistics to the kept timesteps', async () => {
    const inp = input({ shape: [4] });
    const emb = layers.embedding({ inputDim: 4, outputDim: 2, maskZero: true, embeddingsInitializer: initializers.randomUniform({ minval: -1, maxval: 1, seed: 5 }) });
    const bn = layers.batchNormalization({ momentum: 0 }); // the moving statistics become the batch's
    const model = new Model({ inputs: inp, outputs: layers.dense({ units: 1 }).apply(bn.apply(emb.apply(inp))) });
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const table = await values(emb.embeddings!);
    await model.trainOnBatch(tensor([[1, 2, 0, 0], [3, 0, 0, 0]]), tensor(Array.from({ length: 8 }, () => 0), [2, 4, 1]));
    // kept: ids 1, 2, 3; the padded zeros (row 0 of the table) do not count
    const kept = [1, 2, 3].map((id) => table.slice(2 * id, 2 * id + 2));
    const { mean, variance } = columnMoments(kept.flat(), 2);
    expect(maxAbsDiff(await values(bn.movingMean!), mean)).toBeLessThan(1e-5);
    expect(maxAbsDiff(await values(bn.movingVariance!), variance)).toBeLessThan(1e-5);
  });

  it('in the functional API with LayerNormalization: fit lowers the loss; saved and loaded, predictions and moving statistics are equal', async () => {
    const { x, labels } = separable(48, 8);
    const y = toCategorical(labels, 3);
    const inp = input({ shape: [4] });
    const h = layers.dense({ units: 8, kernelInitializer: seeded(4) }).apply(inp);
    const normed = layers.batchNormalization({ name: 'bn' }).apply(h);
    const act = layers.activation({ activation: 'relu' }).apply(normed);
    const ln = layers.layerNormalization({ name: 'ln' }).apply(act);
    const out = layers.dense({ units: 3, activation: 'softmax', kernelInitializer: seeded(5) }).apply(ln);
    const model = new Model({ inputs: inp, outputs: out });
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    const history = await model.fit(x, y, { epochs: 4, batchSize: 8, verbose: 0, shuffle: false });
    const losses = history.history.loss;
    expect(losses[3]).toBeLessThan(losses[0]);
    const path = join(dir, 'functional-bn.keras');
    await model.save(path);
    const again = await loadModel(path);
    expect(again.layers.map((l) => l.className)).toEqual(['InputLayer', 'Dense', 'BatchNormalization', 'Activation', 'LayerNormalization', 'Dense']);
    expect(await weightValues(again)).toEqual(await weightValues(model));
    expect(maxAbsDiff(await values(again.predict(x)), await values(model.predict(x)))).toBe(0);
  });
});

describe('summary and weights', () => {
  it("prints Keras 3's rows and trainable / non-trainable counts (gamma, beta / moving mean, moving variance)", () => {
    const model = new Sequential([
      layers.dense({ units: 8, inputShape: [4], name: 'dense' }),
      layers.batchNormalization({ name: 'batch_normalization' }),
      layers.activation({ activation: 'relu', name: 'activation' }),
      layers.layerNormalization({ name: 'layer_normalization' }),
      layers.dense({ units: 3, activation: 'softmax', name: 'dense_1' }),
    ], { name: 'sequential' });
    const lines: string[] = [];
    model.summary((line) => lines.push(line));
    // Keras 3.15's own rows and totals for this model
    expect(lines.slice(6, 8)).toEqual([
      '│ batch_normalization             │ (None, 8)              │            32 │',
      '│ (BatchNormalization)            │                        │               │',
    ]);
    expect(lines.slice(11, 13)).toEqual([
      '│ layer_normalization             │ (None, 8)              │            16 │',
      '│ (LayerNormalization)            │                        │               │',
    ]);
    expect(lines.slice(-3)).toEqual([' Total params: 115 (460.00 B)', ' Trainable params: 99 (396.00 B)', ' Non-trainable params: 16 (64.00 B)']);
    const bn = model.getLayer('batch_normalization');
    expect(bn.weights.map((w) => w.name)).toEqual(['batch_normalization/gamma', 'batch_normalization/beta', 'batch_normalization/moving_mean', 'batch_normalization/moving_variance']);
    expect(bn.nonTrainableWeights.map((w) => w.name)).toEqual(['batch_normalization/moving_mean', 'batch_normalization/moving_variance']);
  });

  it('center and scale false: only the moving statistics', () => {
    const bn = layers.batchNormalization({ center: false, scale: false });
    bn.build([null, 6]);
    expect(bn.weights.map((w) => w.name.split('/')[1])).toEqual(['moving_mean', 'moving_variance']);
    const ln = layers.layerNormalization({ axis: [1, 2], center: false });
    ln.build([null, 3, 4]);
    expect(ln.weights.map((w) => `${w.name.split('/')[1]} ${w.shape.join('x')}`)).toEqual(['gamma 3x4']);
  });
});

describe('errors name the layer', () => {
  it('bad options and axes', () => {
    expect(() => layers.batchNormalization({ momentum: 1.5, name: 'bn_m' })).toThrow('BatchNormalization "bn_m": momentum must be in [0, 1], got 1.5');
    expect(() => layers.batchNormalization({ epsilon: 0, name: 'bn_e' })).toThrow('BatchNormalization "bn_e": epsilon must be a positive number, got 0');
    expect(() => layers.batchNormalization({ momentm: 0.9 } as BatchNormalizationArgs)).toThrow(/BatchNormalization: unknown option 'momentm'.*momentum/);
    expect(() => layers.layerNormalization({ axis: [] as number[], name: 'ln_a' })).toThrow(/LayerNormalization "ln_a": axis must be an integer or a non-empty list/);
    expect(() => new Sequential([layers.dense({ units: 3, inputShape: [4] }), layers.batchNormalization({ axis: 2, name: 'bn_axis' })])).toThrow(
      /BatchNormalization "bn_axis": axis 2 is invalid for input shape \(None, 3\); valid axes are 1 to 1 or -1 to -1 \(not the batch axis\)/,
    );
    expect(() => new Sequential([layers.input({ shape: [3, 4] }), layers.layerNormalization({ axis: [1, -2], name: 'ln_twice' })])).toThrow(/LayerNormalization "ln_twice": axis \[1, -2\] names an axis twice/);
    const masked = layers.batchNormalization({ name: 'bn_mask' });
    expect(() => masked.apply(tensor([1, 2, 3, 4, 5, 6], [2, 3]), { training: true, mask: tensor([true, false, true, true, true, true], [2, 3], 'bool') })).toThrow(
      /BatchNormalization "bn_mask": the mask must have one axis less than the input, got mask shape \(2, 3\) for input \(2, 3\)/,
    );
  });

  it('a saved config with options Strata lacks (renorm, a regularizer) is refused, naming the layer and the field', () => {
    const { model } = bnModel();
    const json = JSON.parse(model.toJSON()) as { config: { layers: Array<{ class_name: string; config: Record<string, unknown> }> } };
    const bn = json.config.layers.find((l) => l.class_name === 'BatchNormalization')!;
    bn.config.renorm = true;
    expect(() => modelFromJSON(JSON.stringify(json))).toThrow(/layer "bn" \(BatchNormalization\).*renorm.*batch renormalization is not supported/s);
    bn.config.renorm = false;
    bn.config.gamma_regularizer = { class_name: 'L2', config: { l2: 0.01 } };
    expect(() => modelFromJSON(JSON.stringify(json))).toThrow(/layer "bn" \(BatchNormalization\).*gamma_regularizer/s);
  });
});

describe('finite-difference gradients', () => {
  const cases: Array<[string, () => Layer, boolean]> = [
    ['BatchNormalization, training, axis 1 of rank 3', () => layers.batchNormalization({ axis: 1 }), true],
    ['LayerNormalization over axes 1 and 2', () => layers.layerNormalization({ axis: [1, 2] } satisfies LayerNormalizationArgs), false],
  ];
  it.each(cases)('%s: d sum(out · r) / d(input, gamma, beta)', async (_name, make, training) => {
    const shape = [3, 2, 4];
    const n = shape.reduce((a, b) => a * b);
    const xv = Array.from({ length: n }, (_, i) => Math.sin(i * 1.7) * 2 + 0.5);
    const rv = Array.from({ length: n }, (_, i) => Math.cos(i * 0.9));
    const layer = make();
    layer.build([null, ...shape.slice(1)]);
    for (const w of layer.trainableWeights) w.assign(tensor(Array.from({ length: w.size }, (_, i) => 1 + 0.3 * Math.sin(i + w.size)), w.shape));
    const r = tensor(rv, shape);
    const loss = (x: Tensor): Tensor => sum(mul(layer.apply(x, { training }), r));
    const x = tensor(xv, shape);
    const params = layer.trainableWeights;
    const analytic = await Promise.all(tidy(() => valueAndGrad(() => loss(x), [x, ...params]).grads).map(values));
    const at = async (flat: number[]): Promise<number> => (await values(tidy(() => loss(tensor(flat, shape)))))[0];
    const h = 1e-2;
    for (let i = 0; i < n; i += 5) {
      const up = [...xv]; up[i] += h;
      const down = [...xv]; down[i] -= h;
      expect(Math.abs(((await at(up)) - (await at(down))) / (2 * h) - analytic[0][i])).toBeLessThan(5e-3);
    }
    for (const [k, w] of params.entries()) {
      const base = await values(w);
      for (let i = 0; i < w.size; i += 3) {
        const shifted = async (d: number): Promise<number> => {
          w.assign(tensor(base.map((v, j) => (j === i ? v + d : v)), w.shape));
          return (await values(tidy(() => loss(x))))[0];
        };
        const numeric = ((await shifted(h)) - (await shifted(-h))) / (2 * h);
        w.assign(tensor(base, w.shape));
        expect(Math.abs(numeric - analytic[k + 1][i])).toBeLessThan(5e-3);
      }
    }
  });
});
