import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BackupAndRestore, CSVLogger, LambdaCallback, LearningRateScheduler, ProgbarLogger, Sequential, TerminateOnNaN, initializers, layers, optimizers, tensor, toCategorical, type Optimizer } from '../src/index.ts';
import { separable, weightValues } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'strata-callbacks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function model(optimizer: Optimizer | string = 'rmsprop'): Sequential {
  const m = new Sequential([
    layers.dense({ units: 6, activation: 'relu', inputShape: [4], kernelInitializer: initializers.glorotUniform({ seed: 1 }) }),
    layers.dense({ units: 3, activation: 'softmax', kernelInitializer: initializers.glorotUniform({ seed: 2 }) }),
  ]);
  m.compile({ optimizer, loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

describe('training callbacks', () => {
  const { x, labels } = separable(60);
  const y = toCategorical(labels, 3);
  const quiet = { batchSize: 20, verbose: 0, shuffle: false } as const;

  it('LearningRateScheduler sets the rate at each epoch start and logs it', async () => {
    const m = model(new optimizers.SGD({ learningRate: 0.1 }));
    const lines: string[] = [];
    const scheduler = new LearningRateScheduler((epoch, lr) => (epoch === 0 ? lr : lr / 2), { verbose: 1, log: (l) => void lines.push(l) });
    const history = await m.fit(x, y, { ...quiet, epochs: 3, callbacks: [scheduler] });
    expect(history.history.learning_rate).toEqual([0.1, 0.05, 0.025].map(Math.fround));
    // the schedule sees the float32 rate, as in Keras (which prints 0.05000000074505806 too)
    expect(lines[1]).toBe(`Epoch 2: LearningRateScheduler setting learning rate to ${Math.fround(0.1) / 2}.`);
    expect(() => new LearningRateScheduler(0.1 as never)).toThrow('LearningRateScheduler: schedule must be a function (epoch, learningRate) => number, got number');
    const bad = new LearningRateScheduler(() => Number.NaN);
    await expect(model().fit(x, y, { ...quiet, callbacks: [bad] })).rejects.toThrow('LearningRateScheduler: the schedule returned NaN for epoch 0; it must return a finite number');
  });

  it('CSVLogger writes epoch and the sorted logs per row; append adds rows without a second header', async () => {
    const file = join(dir, 'log.csv');
    await model().fit(x, y, { ...quiet, epochs: 2, callbacks: [new CSVLogger(file)] });
    const rows = readFileSync(file, 'utf8').trim().split('\n');
    expect(rows[0]).toBe('epoch,accuracy,loss');
    expect(rows.slice(1).map((r) => r.split(',')[0])).toEqual(['0', '1']);
    expect(Number(rows[2].split(',')[2])).toBeGreaterThan(0);
    await model().fit(x, y, { ...quiet, epochs: 1, callbacks: [new CSVLogger(file, { append: true, separator: ',' })] });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(4);
    expect(() => new CSVLogger(file, { sep: ';' } as never)).toThrow(/^CSVLogger: unknown option 'sep'/);
  });

  it('TerminateOnNaN ends fit quietly at a non-finite loss; without it fit throws', async () => {
    const bad = tensor([[Number.NaN, 0, 0, 0], ...Array.from({ length: 19 }, () => [1, 0, 0, 0])]);
    const target = toCategorical(tensor([0, ...Array.from({ length: 19 }, () => 1)], [20], 'int32'), 3);
    const m = model();
    const before = await weightValues(m);
    const lines: string[] = [];
    const history = await m.fit(bad, target, { ...quiet, epochs: 3, callbacks: [new TerminateOnNaN({ log: (l) => void lines.push(l) })] });
    expect(lines).toEqual(['Epoch 1: Invalid loss, terminating training']);
    expect(history.history.loss).toHaveLength(1);
    expect(Number.isNaN(history.history.loss[0])).toBe(true);
    expect(await weightValues(m)).toEqual(before); // the rejected step changed nothing
    await expect(model().fit(bad, target, { ...quiet, epochs: 1 })).rejects.toThrow(/^fit: the loss/);
  });

  it('BackupAndRestore resumes an interrupted fit at the epoch it stopped, exactly as an uninterrupted run', async () => {
    const full = model('adam');
    await full.fit(x, y, { ...quiet, epochs: 4 });
    const backupDir = join(dir, 'backup');
    const interrupted = model('adam');
    const crash = new LambdaCallback({ onEpochEnd: (epoch) => { if (epoch === 1) throw new Error('power cut'); } });
    await expect(interrupted.fit(x, y, { ...quiet, epochs: 4, callbacks: [new BackupAndRestore(backupDir), crash] })).rejects.toThrow('power cut');
    expect(JSON.parse(readFileSync(join(backupDir, 'training_metadata.json'), 'utf8')).epoch).toBe(2);
    const resumed = model('adam');
    const epochs: number[] = [];
    const history = await resumed.fit(x, y, { ...quiet, epochs: 4, callbacks: [new BackupAndRestore(backupDir), new LambdaCallback({ onEpochBegin: (e) => void epochs.push(e) })] });
    expect(epochs).toEqual([2, 3]);
    expect(history.history.loss).toHaveLength(2);
    expect(resumed.optimizer.iterations).toBe(12);
    expect(await weightValues(resumed)).toEqual(await weightValues(full));
    expect(existsSync(backupDir)).toBe(false); // a finished run deletes the backup
    writeFileSync(join(dir, 'training_metadata.json'), '{"epoch": -1}');
    await expect(model().fit(x, y, { ...quiet, callbacks: [new BackupAndRestore(dir)] })).rejects.toThrow(/BackupAndRestore: .*training_metadata.json has no valid "epoch" \(got -1\)/);
    expect(() => new BackupAndRestore(backupDir, { saveFreq: 10 } as never)).toThrow(/^BackupAndRestore: 'saveFreq' expected 'epoch' or false/);
  });

  it('ProgbarLogger draws the bar for a quiet fit', async () => {
    const lines: string[] = [];
    await model().fit(x, y, { ...quiet, epochs: 2, callbacks: [new ProgbarLogger({ log: (l) => void lines.push(l) })] });
    expect(lines[0]).toBe('Epoch 1/2');
    expect(lines[1]).toMatch(/^3\/3 ━{20} \d+s \d+m?s\/step - accuracy: \d\.\d{4} - loss: \d\.\d{4}$/);
    expect(lines).toHaveLength(4);
  });

  it('with useEma, fit ends with the moving averages as the weights (Keras finalize_variable_values)', async () => {
    const opt = new optimizers.Adam({ learningRate: 0.01, useEma: true, emaMomentum: 0.9 });
    const m = model(opt);
    const seen: number[][][] = [];
    await m.fit(x, y, { ...quiet, epochs: 2, callbacks: [new LambdaCallback({ onTrainEnd: async () => void seen.push(await Promise.all(opt.variables().filter((v) => v.name.endsWith('_average')).map(async (v) => Array.from(await v.data())))) })] });
    expect(await weightValues(m)).toEqual(seen[0]);
  });
});
