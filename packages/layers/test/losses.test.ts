import { describe, expect, it } from 'vitest';
import { Sequential, layers, losses, initializers, tensor, tidy, type Tensor } from '../src/index.ts';
import { values } from './helpers.ts';

const EPS = 1e-7;
// the bounds as float32 holds them (1 - 1e-7 rounds to 1 - 2^-23), as in Keras
const clip = (p: number): number => Math.min(Math.fround(1 - EPS), Math.max(Math.fround(EPS), p));

/** Float64 references, written out from Keras's formulas. */
const ref = {
  categorical: (y: number[][], p: number[][]): number[] =>
    p.map((row, i) => {
      const s = row.reduce((a, b) => a + b, 0);
      return -row.reduce((acc, v, j) => acc + y[i][j] * Math.log(clip(v / s)), 0);
    }),
  fromLogits: (y: number[][], z: number[][]): number[] =>
    z.map((row, i) => {
      const m = Math.max(...row);
      const lse = m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0));
      return -row.reduce((acc, v, j) => acc + y[i][j] * (v - lse), 0);
    }),
  binary: (y: number[][], p: number[][]): number[] =>
    p.map((row, i) => row.reduce((acc, v, j) => acc - (y[i][j] * Math.log(clip(v)) + (1 - y[i][j]) * Math.log(1 - clip(v))), 0) / row.length),
  binaryLogits: (y: number[][], z: number[][]): number[] =>
    z.map((row, i) => row.reduce((acc, x, j) => acc + Math.max(x, 0) - x * y[i][j] + Math.log1p(Math.exp(-Math.abs(x))), 0) / row.length),
  mse: (y: number[][], p: number[][]): number[] => p.map((row, i) => row.reduce((acc, v, j) => acc + (y[i][j] - v) ** 2, 0) / row.length),
  mae: (y: number[][], p: number[][]): number[] => p.map((row, i) => row.reduce((acc, v, j) => acc + Math.abs(y[i][j] - v), 0) / row.length),
};

async function run(f: () => Tensor): Promise<number[]> {
  const t = tidy(f);
  const v = await values(t);
  t.dispose();
  return v;
}

/** Within `tol` relative (float32 arithmetic against a float64 reference). */
function expectClose(actual: number[], expected: number[], tol = 1e-5): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]))));
}

const oneHot = [[0, 1, 0], [1, 0, 0], [0, 0, 1]];
const probs = [[0.1, 0.7, 0.2], [0.3, 0.3, 0.4], [0.05, 0.05, 0.9]];
const logits = [[1, 3, -2], [0.5, 0.1, 4], [-3, 2, 2.5]];

describe('losses', () => {
  it('categorical_crossentropy from probabilities (normalised, clipped)', async () => {
    expectClose(await run(() => losses.categoricalCrossentropy.perSample(tensor(oneHot), tensor(probs))), ref.categorical(oneHot, probs));
    const unnormalised = [[2, 6, 2], [0, 1, 0], [1, 0, 0]];
    expectClose(await run(() => losses.categoricalCrossentropy.perSample(tensor(oneHot), tensor(unnormalised))), ref.categorical(oneHot, unnormalised));
  });

  it('categorical and sparse CE from logits (log-softmax)', async () => {
    expectClose(await run(() => losses.categoricalCrossentropy.fromLogits!(tensor(oneHot), tensor(logits))), ref.fromLogits(oneHot, logits));
    expectClose(await run(() => losses.sparseCategoricalCrossentropy.fromLogits!(tensor([1, 0, 2], [3], 'int32'), tensor(logits))), ref.fromLogits(oneHot, logits));
    expectClose(await run(() => losses.sparseCategoricalCrossentropy.perSample(tensor([[1], [0], [2]]), tensor(probs))), ref.categorical(oneHot, probs));
  });

  it('stays finite and exact with huge logits', async () => {
    const huge = [[1000, -1000, 0], [-500, 500, 499], [88, 89, -1e4]];
    const got = await run(() => losses.categoricalCrossentropy.fromLogits!(tensor(oneHot), tensor(huge)));
    expectClose(got, ref.fromLogits(oneHot, huge));
    expect(got[0]).toBeCloseTo(2000, 2);
    const bin = [[1000], [-1000], [30]];
    const y = [[0], [0], [1]];
    expectClose(await run(() => losses.binaryCrossentropy.fromLogits!(tensor(y), tensor(bin))), ref.binaryLogits(y, bin));
  });

  it('binary_crossentropy from probabilities (clipped), with [n] targets', async () => {
    const y = [[1, 0], [0, 0], [1, 1]];
    const p = [[0.9, 0.2], [0, 1], [0.5, 1]];
    expectClose(await run(() => losses.binaryCrossentropy.perSample(tensor(y), tensor(p))), ref.binary(y, p));
    expectClose(await run(() => losses.binaryCrossentropy.perSample(tensor([1, 0]), tensor([[0.8], [0.3]]))), ref.binary([[1], [0]], [[0.8], [0.3]]));
  });

  it('mean_squared_error and mean_absolute_error (and their aliases)', async () => {
    const y = [[1, 2], [3, 4]];
    const p = [[1.5, 1], [0, 4.25]];
    expectClose(await run(() => losses.getLoss('mse').perSample(tensor(y), tensor(p))), ref.mse(y, p));
    expectClose(await run(() => losses.getLoss('mean_absolute_error').perSample(tensor(y), tensor(p))), ref.mae(y, p));
    expect(losses.getLoss('mae')).toBe(losses.meanAbsoluteError);
  });

  it('unknown names list the valid ones', () => {
    expect(() => losses.getLoss('crossentropy')).toThrow(/Unknown loss "crossentropy"; valid losses are categorical_crossentropy, sparse_categorical_crossentropy, binary_crossentropy, mean_squared_error, mse/);
  });

  it('the model computes softmax + CE from the logits: finite loss where the probabilities underflow', async () => {
    // weights chosen so the last layer's logits are ±2000: softmax gives exact 0 and 1 in float32
    const model = new Sequential([layers.dense({ units: 2, activation: 'softmax', inputShape: [1], kernelInitializer: initializers.constant({ value: 0 }) })]);
    model.setWeights([tensor([[2000, -2000]]), tensor([0, 0])]);
    model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
    const [loss] = await model.evaluate(tensor([[1]]), tensor([[0, 1]]), { verbose: 0 });
    expect(loss).toBeCloseTo(4000, 1); // the clipped-probability formula would give -log(1e-7) ≈ 16.1
    const [sparseLoss] = await (() => {
      model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
      return model.evaluate(tensor([[1]]), tensor([1], [1], 'int32'), { verbose: 0 });
    })();
    expect(sparseLoss).toBeCloseTo(4000, 1);
    const out = model.predict(tensor([[1]]));
    expect(await values(out)).toEqual([1, 0]);
    out.dispose();
  });

  it('sigmoid + binary CE is fused too', async () => {
    const model = new Sequential([layers.dense({ units: 1, activation: 'sigmoid', inputShape: [1] })]);
    model.setWeights([tensor([[-500]]), tensor([0])]);
    model.compile({ optimizer: 'sgd', loss: 'binary_crossentropy' });
    const [loss] = await model.evaluate(tensor([[1]]), tensor([[1]]), { verbose: 0 });
    expect(loss).toBeCloseTo(500, 2);
  });
});
