import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RMSprop, Sequential, initializers, layers, loadModel, tensor, toCategorical } from '../src/index.ts';
import { separable, values } from './helpers.ts';
import { kerasCheck } from './keras-python.ts';

/** Interop with real Python Keras 3 (JAX backend), from the venv `pnpm test` creates (scripts/test-setup.sh). */
const here = dirname(fileURLToPath(import.meta.url));
const fixtures = join(here, 'fixtures');
const dir = mkdtempSync(join(tmpdir(), 'strata-keras-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface KerasReport {
  predictions: number[][];
  optimizerVariables: number[][];
  nextLosses: number[];
}

const maxAbsDiff = (a: number[], b: number[]): number => Math.max(...a.map((v, i) => Math.abs(v - b[i])));

describe('interop with Python Keras 3', () => {
  it('Keras loads a model Strata saved: same predictions, same optimizer state, same next training steps', async () => {
    const { x, labels } = separable(24, 11);
    const y = toCategorical(labels, 3);
    const model = new Sequential([
      layers.dense({ units: 8, activation: 'relu', inputShape: [4], kernelInitializer: initializers.glorotUniform({ seed: 21 }) }),
      layers.dropout({ rate: 0, seed: 9 }), // rate 0: Keras's masks would differ from ours
      layers.dense({ units: 6, kernelInitializer: initializers.heNormal({ seed: 22 }) }),
      layers.activation({ activation: 'tanh' }),
      layers.reshape({ targetShape: [2, 3] }),
      layers.flatten(),
      layers.dense({ units: 3, activation: 'softmax', kernelInitializer: initializers.glorotUniform({ seed: 23 }) }),
    ]);
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);
    const path = join(dir, 'strata.keras');
    await model.save(path);

    const xs = (await x.array()) as number[][];
    const report = await kerasCheck<KerasReport>({ path, x: xs, y: (await y.array()) as number[][] });

    expect(maxAbsDiff(report.predictions.flat(), await values(model.predict(x)))).toBeLessThanOrEqual(1e-5);
    const ours = await Promise.all(model.optimizer.variables().map(values));
    expect(report.optimizerVariables).toEqual(ours);
    const next = [(await model.trainOnBatch(x, y))[0], (await model.trainOnBatch(x, y))[0]];
    expect(maxAbsDiff(report.nextLosses, next)).toBeLessThanOrEqual(1e-5);
  });

  it('Strata loads a model Keras saved (fixture): same predictions, and training continues as in Keras', async () => {
    const expected = JSON.parse(readFileSync(join(fixtures, 'keras-mlp-rmsprop.json'), 'utf8')) as { x: number[][]; y: number[][]; predictions: number[][]; nextLosses: number[] };
    const model = await loadModel(join(fixtures, 'keras-mlp-rmsprop.keras'));
    expect(model.layers.map((l) => `${l.className}:${l.getConfig().activation}`)).toEqual(['Dense:relu', 'Dense:softmax']);
    expect(model.optimizer).toBeInstanceOf(RMSprop);
    expect(model.optimizer.iterations).toBe(6);
    expect(model.metricsNames).toEqual(['loss', 'accuracy']);

    const x = tensor(expected.x);
    const y = tensor(expected.y);
    expect(maxAbsDiff(await values(model.predict(x)), expected.predictions.flat())).toBeLessThanOrEqual(1e-5);
    const next = [(await model.trainOnBatch(x, y))[0], (await model.trainOnBatch(x, y))[0]];
    expect(maxAbsDiff(next, expected.nextLosses)).toBeLessThanOrEqual(1e-5);
  });
});
