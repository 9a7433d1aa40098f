import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Model, SGD, initializers, input, layers, loadModel, tensor, type SymbolicStructure, type Tensor } from '../src/index.ts';
import { values } from './helpers.ts';
import { kerasCheck } from './keras-python.ts';

/**
 * Functional models across Python Keras 3 (JAX), both ways: fixtures Keras saved (scripts/make_functional_fixtures.py)
 * load in Strata with the same predictions and training steps, and models Strata saved load in Keras
 * (scripts/keras_check.py) with the same predictions, optimizer state and next steps.
 */
const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'strata-keras-functional-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Nested = number[] | number[][];
type Named = Record<string, Nested>;

interface KerasReport {
  predictions: Nested | Named;
  optimizerVariables: number[][];
  nextLosses: number[];
  nextLogs: number[][];
}

const maxAbsDiff = (a: number[], b: number[]): number => {
  expect(a.length).toBe(b.length);
  return Math.max(0, ...a.map((v, i) => Math.abs(v - b[i])));
};
const tensors = (named: Named): Record<string, Tensor> => Object.fromEntries(Object.entries(named).map(([k, v]) => [k, tensor(v)]));
/** Keras's values by output name, or the lone output's. */
const byOutput = (p: Nested | Named, names: readonly string[]): Nested[] => (Array.isArray(p) ? [p] : names.map((n) => p[n]));
/** A record for several inputs/outputs, the lone tensor for one (as fit/predict take them). */
const feed = (named: Record<string, Tensor>, names: readonly string[]): Tensor | Record<string, Tensor> => (names.length === 1 ? named[names[0]] : named);
const outputsOf = async (model: Model, prediction: Tensor | Tensor[] | Record<string, Tensor>): Promise<number[][]> => {
  const list = prediction instanceof Array ? prediction : 'shape' in prediction ? [prediction as Tensor] : model.outputNames.map((n) => (prediction as Record<string, Tensor>)[n]);
  return Promise.all(list.map(values));
};

interface Fixture {
  inputs: Named;
  targets: Named;
  predictions: Named;
  nextLogs: number[][];
  config: { config: { layers: Array<{ name: string }> } };
}

describe('Keras-saved functional models load in Strata', () => {
  it.each(['two-heads', 'add', 'inception', 'shared', 'nested', 'merge-ops'])('functional-%s: same layers, predictions and next training steps', async (name) => {
    const expected = JSON.parse(readFileSync(join(fixtures, `functional-${name}.json`), 'utf8')) as Fixture;
    const model = await loadModel<SymbolicStructure>(join(fixtures, `functional-${name}.keras`));
    expect(model.layers.map((l) => l.name)).toEqual(expected.config.config.layers.map((l) => l.name));
    expect(model.optimizer.iterations).toBe(4); // 2 epochs of 2 batches in make_functional_fixtures.py
    const x = feed(tensors(expected.inputs), model.inputNames);
    const y = feed(tensors(expected.targets), model.outputNames);
    const ours = await outputsOf(model, model.predict(x));
    ours.forEach((out, i) => expect(maxAbsDiff(out, model.outputNames.length === 1 ? Object.values(expected.predictions)[0].flat() : expected.predictions[model.outputNames[i]].flat())).toBeLessThanOrEqual(1e-5));
    const next = [await model.trainOnBatch(x, y), await model.trainOnBatch(x, y)];
    expect(maxAbsDiff(next.flat(), expected.nextLogs.flat())).toBeLessThanOrEqual(1e-5);
  });
});

/** Models built in Strata with the fixtures' topologies (seeded weights), trained a few steps before saving. */
const glorot = (seed: number) => initializers.glorotUniform({ seed });
function strataModels(): Array<[string, () => Model, Named, Named]> {
  const rows = (n: number, width: number, seed: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: width }, (_, j) => Math.sin(seed * 7 + i * 3 + j * 1.3)));
  const oneHot = (n: number, k: number): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: k }, (_, j) => (i % k === j ? 1 : 0)));
  return [
    ['two heads', () => {
      const image = input({ shape: [12], name: 'image' });
      const meta = input({ shape: [4], name: 'meta' });
      const merged = layers.concatenate({ name: 'merged' }).apply([
        layers.dense({ units: 16, activation: 'relu', name: 'image_dense', kernelInitializer: glorot(1) }).apply(image),
        layers.dense({ units: 8, activation: 'relu', name: 'meta_dense', kernelInitializer: glorot(2) }).apply(meta),
      ]);
      const model = new Model({ inputs: [image, meta], outputs: [
        layers.dense({ units: 3, activation: 'softmax', name: 'digit', kernelInitializer: glorot(3) }).apply(merged),
        layers.dense({ units: 1, activation: 'sigmoid', name: 'parity', kernelInitializer: glorot(4) }).apply(merged),
      ], name: 'two_heads' });
      model.compile({ optimizer: 'adam', loss: { digit: 'sparse_categorical_crossentropy', parity: 'binary_crossentropy' }, lossWeights: { digit: 1, parity: 0.2 }, metrics: { digit: ['accuracy'] } });
      return model;
    }, { image: rows(8, 12, 1), meta: rows(8, 4, 2) }, { digit: [0, 1, 2, 0, 1, 2, 0, 1], parity: [[0], [1], [0], [0], [1], [0], [0], [1]] }],
    ['add + inception', () => {
      const x = input({ shape: [6], name: 'x' });
      const summed = layers.add({ name: 'sum' }).apply([
        layers.dense({ units: 5, activation: 'relu', name: 'relu_branch', kernelInitializer: glorot(5) }).apply(x),
        layers.dense({ units: 5, activation: 'tanh', name: 'tanh_branch', kernelInitializer: glorot(6) }).apply(x),
      ]);
      const wide = layers.dense({ units: 4, activation: 'relu', name: 'branch1', kernelInitializer: glorot(7) }).apply(summed);
      const deep = layers.dense({ units: 4, activation: 'relu', name: 'branch2b', kernelInitializer: glorot(8) }).apply(layers.dense({ units: 6, activation: 'relu', name: 'branch2a', kernelInitializer: glorot(9) }).apply(summed));
      const block = layers.concatenate({ name: 'block' }).apply([wide, deep, layers.dense({ units: 3, name: 'branch3', kernelInitializer: glorot(10) }).apply(summed)]);
      const model = new Model({ inputs: x, outputs: layers.dense({ units: 2, activation: 'softmax', name: 'out', kernelInitializer: glorot(11) }).apply(block), name: 'inception' });
      model.compile({ optimizer: new SGD({ learningRate: 0.05, momentum: 0.9 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
      return model;
    }, { x: rows(8, 6, 3) }, { out: oneHot(8, 2) }],
    ['shared + nested', () => {
      const left = input({ shape: [5], name: 'left' });
      const right = input({ shape: [5], name: 'right' });
      const shared = layers.dense({ units: 4, activation: 'relu', name: 'shared', kernelInitializer: glorot(12) });
      const [l, r] = [shared.apply(left), shared.apply(right)];
      const ein = input({ shape: [8], name: 'encoder_input' });
      const encoder = new Model({ inputs: ein, outputs: layers.dense({ units: 3, activation: 'relu', name: 'encoder_dense', kernelInitializer: glorot(13) }).apply(ein), name: 'encoder' });
      const features = layers.concatenate({ name: 'concat' }).apply([layers.subtract({ name: 'subtract' }).apply([l, r]), layers.multiply({ name: 'multiply' }).apply([l, r])]);
      const model = new Model({ inputs: [left, right], outputs: layers.dense({ units: 1, activation: 'sigmoid', name: 'out', kernelInitializer: glorot(14) }).apply(encoder.apply(features)), name: 'siamese' });
      model.compile({ optimizer: 'adam', loss: 'binary_crossentropy' });
      return model;
    }, { left: rows(8, 5, 4), right: rows(8, 5, 5) }, { out: [[0], [1], [1], [0], [1], [0], [0], [1]] }],
  ];
}

describe('Strata-saved functional models load in Python Keras', () => {
  it.each(strataModels())('%s: same predictions, same optimizer state, same next training steps', async (name, make, xs, ys) => {
    const model = make();
    const x = feed(tensors(xs), model.inputNames);
    const y = feed(tensors(ys), model.outputNames);
    for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);
    const path = join(dir, `${name.replace(/\W+/g, '-')}.keras`);
    await model.save(path);
    const report = await kerasCheck<KerasReport>({ path, x: xs, y: ys });

    const ours = await outputsOf(model, model.predict(x));
    byOutput(report.predictions, model.outputNames).forEach((p, i) => expect(maxAbsDiff(p.flat(), ours[i])).toBeLessThanOrEqual(1e-5));
    const state = await Promise.all(model.optimizer.variables().map(values));
    expect(report.optimizerVariables.length).toBe(state.length);
    report.optimizerVariables.forEach((v, i) => expect(maxAbsDiff(v, state[i])).toBeLessThanOrEqual(1e-6));
    const next = [await model.trainOnBatch(x, y), await model.trainOnBatch(x, y)];
    expect(maxAbsDiff(next.flat(), report.nextLogs.flat())).toBeLessThanOrEqual(1e-5);
  });
});
