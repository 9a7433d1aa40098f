import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Dense, Model, getBackend, input, losses, metrics, optimizers, reshape, setBackend, tensor, tidy, type Tensor } from '../src/index.ts';
import { relDiff, values } from './helpers.ts';

/**
 * The stateful metrics, weighted losses and fit/evaluate with sampleWeight against Python Keras 3 (JAX),
 * from test/fixtures/metrics.json (scripts/make_metric_fixtures.py): each metric folds in two batches
 * and its result after each must match Keras's; its getConfig() must equal Keras's get_config().
 */
interface Values {
  values: number[];
  shape: number[];
}
interface MetricCase {
  name: string;
  className: string;
  args: Record<string, unknown>;
  config: Record<string, unknown>;
  batches: { yTrue: Values; yPred: Values; sampleWeight?: Values }[];
  results: number[][];
}
interface LossCase {
  name: string;
  yTrue: Values;
  yPred: Values;
  sampleWeight: Values;
  unweighted: number;
  weighted: number;
  weightedColumn: number;
}
interface Fixture {
  metrics: MetricCase[];
  losses: LossCase[];
  classWeight: { y: Values; classWeight: Record<string, number>; sampleWeight: number[] }[];
  fit: { x: Values; y: Values; sampleWeight: Values; initialWeights: number[][][] | number[][]; history: Record<string, number[]>; evaluate: Record<string, number>; finalWeights: number[][] };
}

const here = dirname(fileURLToPath(import.meta.url));
const fixture = JSON.parse(readFileSync(join(here, 'fixtures/metrics.json'), 'utf8')) as Fixture;
const t = (v: Values): Tensor => tensor(v.values, v.shape);

type MetricClass = new (args: never) => metrics.Metric;
const classes = metrics as unknown as Record<string, MetricClass>;

/** Fold in each batch of the case; the metric's result after each. */
async function run(c: MetricCase): Promise<number[][]> {
  const metric = new classes[c.className](c.args as never);
  const results: number[][] = [];
  for (const b of c.batches) {
    tidy(() => metric.updateState(t(b.yTrue), t(b.yPred), b.sampleWeight && t(b.sampleWeight)));
    const r = tidy(() => metric.result());
    results.push(await values(r));
    r.dispose();
  }
  const { name: _name, ...config } = metric.getConfig();
  const { name: _kerasName, ...kerasConfig } = c.config;
  expect(config).toEqual(kerasConfig);
  metric.dispose();
  return results;
}

const expectResults = (actual: number[][], expected: number[][]): void => {
  expect(actual.map((r) => r.length)).toEqual(expected.map((r) => r.length));
  actual.forEach((r, i) => expect(relDiff(r, expected[i])).toBeLessThan(2e-5));
};

describe('stateful metrics vs Keras 3 on cpu', () => {
  it.each(fixture.metrics.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await setBackend('cpu');
    expectResults(await run(c), c.results);
  });
});

const GPU_CASES = ['auc-pr', 'precision-top-k', 'f1-micro', 'mean-iou-weighted-ignore', 'root-mean-squared-error', 'sparse-top-k-categorical-accuracy'];

describe('stateful metrics vs Keras 3 on webgpu', () => {
  it('AUC (PR), Precision (top k), F1Score, MeanIoU, RMSE, sparse top-k accuracy', async () => {
    await setBackend('webgpu');
    expect(getBackend().name).toBe('webgpu');
    for (const name of GPU_CASES) {
      const c = fixture.metrics.find((m) => m.name === name)!;
      expectResults(await run(c), c.results);
    }
  });
});

describe('weighted losses vs Keras 3', () => {
  it.each(fixture.losses.map((c) => [c.name, c] as const))('%s: sum_over_batch_size with sample weights', async (_name, c) => {
    await setBackend('cpu');
    const { reduceWeightedLoss } = await import('../src/training/sample-weight.ts');
    const loss = losses.getLoss(c.name);
    const reduced = tidy(() => {
      const perSample = loss.perSample(t(c.yTrue), t(c.yPred));
      const w = t(c.sampleWeight);
      return [reduceWeightedLoss(perSample, undefined), reduceWeightedLoss(perSample, w), reduceWeightedLoss(perSample, reshape(w, [-1, 1]))];
    });
    const got = await Promise.all(reduced.map(values));
    reduced.forEach((r) => r.dispose());
    expect(relDiff(got.flat(), [c.unweighted, c.weighted, c.weightedColumn])).toBeLessThan(1e-5);
  });

  it('classWeight becomes the sample weights Keras gives (class indices and one-hot labels)', async () => {
    await setBackend('cpu');
    const { classWeightsFor } = await import('../src/training/sample-weight.ts');
    for (const c of fixture.classWeight) {
      const w = tidy(() => classWeightsFor(t(c.y), c.classWeight));
      expect(await values(w)).toEqual(c.sampleWeight);
      w.dispose();
    }
  });
});

describe.each(['cpu', 'webgpu'] as const)('fit and evaluate with sampleWeight and weightedMetrics vs Keras 3 on %s', (backend) => {
  it('history, evaluate and the final weights', async () => {
    await setBackend(backend);
    const f = fixture.fit;
    const x = input({ shape: [4], name: 'x' });
    const model = new Model({ inputs: x, outputs: new Dense({ units: 3, activation: 'softmax', name: 'probs' }).apply(x), name: 'weighted' });
    model.setWeights((f.initialWeights as number[][][]).map((w) => tensor(w)));
    model.compile({
      optimizer: new optimizers.SGD({ learningRate: 0.1 }),
      loss: 'categorical_crossentropy',
      metrics: ['accuracy', new metrics.AUC({ name: 'auc' })],
      weightedMetrics: ['accuracy', new metrics.Precision({ name: 'precision' })],
    });
    const [xs, ys, ws] = [t(f.x), t(f.y), t(f.sampleWeight)];
    const history = await model.fit(xs, ys, { sampleWeight: ws, batchSize: 4, epochs: 2, shuffle: false, verbose: 0 });
    expect(Object.keys(history.history).sort()).toEqual(Object.keys(f.history).sort());
    for (const [k, v] of Object.entries(f.history)) expect(relDiff(history.history[k] as number[], v), k).toBeLessThan(1e-5);
    const evaluated = (await model.evaluate(xs, ys, { sampleWeight: ws, batchSize: 4, verbose: 0, returnDict: true })) as Record<string, number>;
    for (const [k, v] of Object.entries(f.evaluate)) expect(relDiff([evaluated[k]], [v]), k).toBeLessThan(1e-5);
    const weights = model.getWeights();
    const final = await Promise.all(weights.map(values));
    weights.forEach((w) => w.dispose());
    expect(relDiff(final.flat(), f.finalWeights.flat())).toBeLessThan(1e-5);
    [xs, ys, ws].forEach((v) => v.dispose());
  });
});
