import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ModelCheckpoint, Sequential, initializers, layers, loadModel, toCategorical } from '../src/index.ts';
import { formatFilepath } from '../src/callbacks/model-checkpoint.ts';
import { lineSink, separable, weightValues } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'strata-ckpt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { x, labels } = separable(60, 3);
const y = toCategorical(labels, 3);

function model(): Sequential {
  const m = new Sequential([
    layers.dense({ units: 8, activation: 'relu', inputShape: [4], kernelInitializer: initializers.glorotUniform({ seed: 1 }) }),
    layers.dense({ units: 3, activation: 'softmax', kernelInitializer: initializers.glorotUniform({ seed: 2 }) }),
  ]);
  m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

describe('ModelCheckpoint', () => {
  it('formats file paths like Python str.format', () => {
    const logs = { epoch: 3, val_loss: 0.123456, loss: 1.5e-5 };
    expect(formatFilepath('w-{epoch:02d}-{val_loss:.2f}.keras', logs)).toBe('w-03-0.12.keras');
    expect(formatFilepath('{epoch}_{val_loss}_{loss:.1e}_{epoch:4d}_{{x}}', logs)).toBe('3_0.123456_1.5e-05_   3_{x}');
    expect(() => formatFilepath('{val_acc}.keras', logs)).toThrow(/"\{val_acc\}" is not available; available: epoch, val_loss, loss/);
    expect(() => formatFilepath('{loss:x}.keras', logs)).toThrow(/unsupported format "\{loss:x\}"/);
  });

  it('saves every epoch to a templated path; the last file is the trained model', async () => {
    const m = model();
    const sink = lineSink();
    mkdirSync(join(dir, 'every'));
    const checkpoint = new ModelCheckpoint({ filepath: join(dir, 'every', 'ckpt-{epoch:02d}-{val_loss:.3f}.keras'), verbose: 1, log: sink.log });
    const history = await m.fit(x, y, { epochs: 3, batchSize: 20, verbose: 0, validationData: [x, y], callbacks: [checkpoint] });
    const names = readdirSync(join(dir, 'every')).sort();
    expect(names).toEqual(history.history.val_loss.map((v, i) => `ckpt-0${i + 1}-${v.toFixed(3)}.keras`));
    expect(sink.lines[0]).toBe(`Epoch 1: saving model to ${join(dir, 'every', names[0])}`);
    const last = await loadModel(join(dir, 'every', names[2]));
    expect(await weightValues(last)).toEqual(await weightValues(m));
    expect(last.optimizer.iterations).toBe(m.optimizer.iterations);
  });

  it('saveBestOnly keeps the best epoch by monitor and mode; saveWeightsOnly writes .weights.h5', async () => {
    const m = model();
    const weightsAfter: number[][][] = [];
    // mode 'max' on a falling loss: epoch 1 stays the best, so later epochs never overwrite it
    const best = new ModelCheckpoint({ filepath: join(dir, 'best.weights.h5'), monitor: 'loss', mode: 'max', saveBestOnly: true, saveWeightsOnly: true });
    const keep = { onEpochEnd: async () => void weightsAfter.push(await weightValues(m)) };
    const history = await m.fit(x, y, { epochs: 3, batchSize: 20, verbose: 0, callbacks: [best, keep] });
    expect(history.history.loss[2]).toBeLessThan(history.history.loss[0]);
    expect(best.best).toBe(history.history.loss[0]);
    const restored = model();
    await restored.loadWeights(join(dir, 'best.weights.h5'));
    expect(await weightValues(restored)).toEqual(weightsAfter[0]);
    expect(restored.optimizer.iterations).toBe(3);
  });

  it('checks its arguments', () => {
    expect(() => new ModelCheckpoint({ filepath: 'm.h5' })).toThrow(/saveWeightsOnly=false the filepath must end in "\.keras", got "m\.h5"/);
    expect(() => new ModelCheckpoint({ filepath: 'm.keras', saveWeightsOnly: true })).toThrow(/must end in "\.weights\.h5"/);
    expect(() => new ModelCheckpoint({ filepath: 'm.keras', mode: 'best' as 'max' })).toThrow(/ModelCheckpoint: 'mode'/);
  });
});
