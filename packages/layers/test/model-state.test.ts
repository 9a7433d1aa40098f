import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SGD, Sequential, initializers, layers, loadModel, toCategorical } from '../src/index.ts';
import { separable, weightValues } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'strata-state-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { x, labels } = separable(64, 3);
const y = toCategorical(labels, 3);

function model(name?: string): Sequential {
  return new Sequential([
    layers.dense({ units: 6, activation: 'relu', inputShape: [4], kernelInitializer: initializers.glorotUniform({ seed: 4 }) }),
    layers.dense({ units: 3, activation: 'softmax', kernelInitializer: initializers.glorotUniform({ seed: 5 }) }),
  ], { name });
}

describe('model state while fit or evaluate runs', () => {
  it('compile and loadWeights during fit are refused, naming the running call; fit ends as it would have', async () => {
    const path = join(dir, 'w.weights.h5');
    const reference = model();
    reference.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    await reference.saveWeights(path);
    await reference.fit(x, y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0 });

    const m = model('busy');
    m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    const refused: string[] = [];
    await m.fit(x, y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0, callbacks: [{
      onBatchEnd: async (batch) => {
        if (batch !== 1) return;
        try { m.compile({ optimizer: 'sgd', loss: 'mse' }); } catch (e) { refused.push((e as Error).message); }
        await m.loadWeights(path).catch((e: Error) => refused.push(e.message));
      },
    }] });
    expect(refused).toEqual([
      'compile: model "busy" is training; wait for fit() to finish',
      'loadWeights: model "busy" is training; wait for fit() to finish',
      'compile: model "busy" is training; wait for fit() to finish',
      'loadWeights: model "busy" is training; wait for fit() to finish',
    ]);
    expect(await weightValues(m)).toEqual(await weightValues(reference));
  });

  it('setWeights from a callback during fit takes effect from the next step, whole', async () => {
    const start = model();
    const w = start.getWeights();
    const a = model();
    a.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'categorical_crossentropy' });
    await a.fit(x, y, { epochs: 2, batchSize: 16, shuffle: false, verbose: 0, callbacks: [{ onEpochEnd: (epoch) => { if (epoch === 0) a.setWeights(w); } }] });
    const b = model();
    b.setWeights(w);
    b.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'categorical_crossentropy' });
    await b.fit(x, y, { epochs: 1, batchSize: 16, shuffle: false, verbose: 0 });
    // plain SGD has no state beyond the step count: epoch 2 of `a` is epoch 1 of `b` from the same weights
    expect(await weightValues(a)).toEqual(await weightValues(b));
  });

  it('while evaluate runs, compile, trainOnBatch and fit are refused', async () => {
    const m = model('evaluating');
    m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    const running = m.evaluate(x, y, { verbose: 0 });
    expect(() => m.compile({ loss: 'mse' })).toThrow('compile: model "evaluating" is running evaluate(); wait for it to finish');
    await expect(m.trainOnBatch(x, y)).rejects.toThrow('trainOnBatch: model "evaluating" is running evaluate(); wait for it to finish');
    await expect(m.fit(x, y, { verbose: 0 })).rejects.toThrow('fit: model "evaluating" is running evaluate(); wait for it to finish');
    const [loss] = await running;
    expect(Number.isFinite(loss)).toBe(true);
    m.compile({ loss: 'mse' }); // free again
  });

  it('after dispose(), every use names the disposed model', async () => {
    const m = model('gone');
    m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
    m.dispose();
    const disposed = /model "gone" was disposed \(its weights and optimizer state are released\); build or load a new model/;
    expect(() => m.getWeights()).toThrow(new RegExp(`^getWeights: ${disposed.source}`));
    expect(() => m.predict(x)).toThrow(new RegExp(`^predict: ${disposed.source}`));
    await expect(m.fit(x, y)).rejects.toThrow(new RegExp(`^fit: ${disposed.source}`));
    await expect(m.save(join(dir, 'gone.keras'))).rejects.toThrow(new RegExp(`^save: ${disposed.source}`));
    expect(() => m.dispose()).toThrow(new RegExp(`^dispose: ${disposed.source}`));
  });
});

describe('saves that always load back', () => {
  it('an unbuilt model saves and loads unbuilt, then builds on its first data', async () => {
    const m = new Sequential([layers.dense({ units: 5, activation: 'relu' }), layers.dense({ units: 3, activation: 'softmax' })], { name: 'later' });
    m.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const path = join(dir, 'unbuilt.keras');
    await m.save(path);
    const loaded = await loadModel(path);
    expect(loaded.built).toBe(false);
    expect(loaded.metricsNames).toEqual(['loss', 'accuracy']);
    const history = await loaded.fit(x, y, { epochs: 2, batchSize: 32, verbose: 0 });
    expect(loaded.built).toBe(true);
    expect(history.history.loss[1]).toBeLessThan(history.history.loss[0]);
  });
});

describe('names', () => {
  it('two layers with one name in a Sequential are refused at construction, naming both', () => {
    expect(() => new Sequential([layers.dense({ units: 2, name: 'twice', inputShape: [3] }), layers.dense({ units: 2, name: 'twice' })])).toThrow(
      /two different layers are named "twice" \(Dense and Dense\); layer names must be unique within a model/,
    );
  });
});

