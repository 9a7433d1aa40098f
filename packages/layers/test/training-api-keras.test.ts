import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Sequential, initializers, layers, loadModel, losses, metrics, optimizers, tensor } from '../src/index.ts';
import { kerasCheck } from './keras-python.ts';
import { relDiff, values, weightValues } from './helpers.ts';

const here = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'strata-training-api-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface ModelFixture {
  x: number[][];
  y: number[][];
  predictions: number[][];
  nextLosses: number[];
  compileConfig: { optimizer: { class_name: string; config: Record<string, unknown> }; loss: unknown; metrics?: unknown };
}

const { model: fixture } = JSON.parse(readFileSync(join(here, 'fixtures/training-api.json'), 'utf8')) as { model: ModelFixture };

/** Two more full-batch steps (one epoch each, no shuffling): the losses fit reports, i.e. train_on_batch's. */
async function nextLosses(model: Sequential, x: number[][], y: number[][]): Promise<number[]> {
  const history = await model.fit(tensor(x), tensor(y), { epochs: 2, batchSize: x.length, shuffle: false, verbose: 0 });
  return history.history.loss;
}

describe('.keras round trip of a model compiled with a schedule, a loss class, a new optimizer (and a metric object)', () => {
  it('Keras → Strata: Nadam(ExponentialDecay) and LogCosh load, predict and train on as in Keras', async () => {
    const model = (await loadModel(join(here, 'fixtures/training-api-model.keras'))) as Sequential;
    const opt = model.optimizer;
    expect(opt).toBeInstanceOf(optimizers.Nadam);
    expect(opt.iterations).toBe(3);
    expect(opt.getConfig().learning_rate).toEqual(fixture.compileConfig.optimizer.config.learning_rate);
    expect(relDiff(await values(model.predict(tensor(fixture.x)) as never), fixture.predictions.flat())).toBeLessThan(1e-5);
    const got = await nextLosses(model, fixture.x, fixture.y);
    got.forEach((l, i) => expect(Math.abs(l - fixture.nextLosses[i])).toBeLessThan(1e-5 * Math.max(1, fixture.nextLosses[i])));
  });

  it('Strata → Keras: Keras loads the same optimizer, schedule and loss, its variables, and trains on as Strata does', async () => {
    const make = (): Sequential => {
      const m = new Sequential([
        layers.dense({ units: 5, activation: 'tanh', inputShape: [4], kernelInitializer: initializers.glorotUniform({ seed: 3 }) }),
        layers.dense({ units: 3, kernelInitializer: initializers.glorotUniform({ seed: 4 }) }),
      ]);
      const schedule = new optimizers.schedules.PiecewiseConstantDecay({ boundaries: [2, 4], values: [0.05, 0.02, 0.01] });
      m.compile({ optimizer: new optimizers.Adamax({ learningRate: schedule, useEma: true }), loss: new losses.KLDivergence({ reduction: 'sum' }), metrics: [new metrics.RootMeanSquaredError()] });
      return m;
    };
    const x = fixture.x;
    const y = fixture.y.map((row) => { const e = row.map(Math.exp); const s = e.reduce((a, b) => a + b); return e.map((v) => v / s); });
    const model = make();
    await model.fit(tensor(x), tensor(y), { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 });
    const path = join(dir, 'strata.keras');
    await model.save(path);
    const optimizerState = await Promise.all(model.optimizer.variables().map(async (v) => Array.from(await v.data())));
    const report = await kerasCheck<{ optimizerVariables: number[][]; nextLosses: number[]; nextLogs: number[][]; nextLogNames: string[]; compileConfig: ModelFixture['compileConfig'] }>({ path, x, y });
    expect(report.compileConfig.optimizer.class_name).toBe('Adamax');
    const { name: _n, ...kerasConfig } = report.compileConfig.optimizer.config;
    const { name: _m, ...strataConfig } = model.optimizer.getConfig();
    expect(kerasConfig).toEqual(strataConfig);
    expect(report.compileConfig.loss).toEqual({ module: 'keras.losses', class_name: 'KLDivergence', config: { name: 'kl_divergence', reduction: 'sum' }, registered_name: null });
    report.optimizerVariables.forEach((v, i) => expect(relDiff(v, optimizerState[i])).toBe(0));
    expect(report.compileConfig.metrics).toEqual([expect.objectContaining({ class_name: 'RootMeanSquaredError' })]);
    expect(report.nextLogNames).toEqual(['loss', 'root_mean_squared_error']);
    const history = await model.fit(tensor(x), tensor(y), { epochs: 2, batchSize: x.length, shuffle: false, verbose: 0 });
    report.nextLosses.forEach((l, i) => expect(Math.abs(l - history.history.loss[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(l))));
    report.nextLogs.forEach(([, rmse], i) => expect(Math.abs(rmse - history.history.root_mean_squared_error[i])).toBeLessThan(1e-5));
    // and back: the saved file loads in Strata with the same compile state
    const again = (await loadModel(path)) as Sequential;
    expect(again.optimizer.getConfig()).toEqual({ ...model.optimizer.getConfig(), name: again.optimizer.name });
    expect(await weightValues(again)).toHaveLength(4);
  }, 60_000);
});

interface ReductionsFixture {
  x: number[][];
  y: number[][];
  sampleWeight: number[];
  kernel: number[][];
  bias: number[];
  cases: { reduction: 'sum_over_batch_size' | 'sum' | 'mean' | 'mean_with_sample_weight'; losses: number[]; kernel: number[][] }[];
}

const { reductions } = JSON.parse(readFileSync(join(here, 'fixtures/training-api.json'), 'utf8')) as { reductions: ReductionsFixture };

describe('loss reductions in fit, with sample weights, against Keras 3', () => {
  // Keras 3's fit gives mean_with_sample_weight the sum_over_batch_size value (the compiled loss divides by
  // the number of values); Strata does the same
  it.each(reductions.cases.map((c) => [c.reduction, c] as const))('%s', async (reduction, c) => {
    const model = new Sequential([layers.dense({ units: 1, inputShape: [4] })]);
    model.setWeights([tensor(reductions.kernel), tensor(reductions.bias)]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.1 }), loss: new losses.MeanSquaredError({ reduction }) });
    const history = await model.fit(tensor(reductions.x), tensor(reductions.y), { epochs: 2, batchSize: 6, shuffle: false, verbose: 0, sampleWeight: tensor(reductions.sampleWeight) });
    history.history.loss.forEach((l, i) => expect(Math.abs(l - c.losses[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(c.losses[i]))));
    expect(relDiff((await weightValues(model))[0], c.kernel.flat())).toBeLessThan(1e-5);
  });
});
