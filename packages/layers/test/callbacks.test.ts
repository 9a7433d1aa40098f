import { describe, expect, it } from 'vitest';
import { EarlyStopping, LambdaCallback, ReduceLROnPlateau, Sequential, initializers, layers, toCategorical, type Logs } from '../src/index.ts';
import { separable, weightValues } from './helpers.ts';

function model(seed = 1): Sequential {
  const m = new Sequential([
    layers.dense({ units: 8, activation: 'relu', inputShape: [4], kernelInitializer: initializers.glorotUniform({ seed }) }),
    layers.dense({ units: 3, activation: 'softmax', kernelInitializer: initializers.glorotUniform({ seed: seed + 1 }) }),
  ]);
  m.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

describe('callbacks', () => {
  const { x, labels } = separable(120);
  const y = toCategorical(labels, 3);

  it('hooks run in order with epoch logs', async () => {
    const events: string[] = [];
    const cb = new LambdaCallback({
      onTrainBegin: () => void events.push('trainBegin'),
      onEpochBegin: (e) => void events.push(`epochBegin ${e}`),
      onBatchBegin: (b) => void events.push(`batchBegin ${b}`),
      onBatchEnd: (b, logs) => void events.push(`batchEnd ${b} size ${logs.size}`),
      onEpochEnd: (e, logs) => void events.push(`epochEnd ${e} ${Object.keys(logs).join(',')}`),
      onTrainEnd: () => void events.push('trainEnd'),
    });
    await model().fit(x, y, { epochs: 2, batchSize: 60, verbose: 0, callbacks: [cb], validationData: [x, y] });
    expect(events).toEqual([
      'trainBegin',
      'epochBegin 0', 'batchBegin 0', 'batchEnd 0 size 60', 'batchBegin 1', 'batchEnd 1 size 60', 'epochEnd 0 accuracy,loss,val_accuracy,val_loss',
      'epochBegin 1', 'batchBegin 0', 'batchEnd 0 size 60', 'batchBegin 1', 'batchEnd 1 size 60', 'epochEnd 1 accuracy,loss,val_accuracy,val_loss',
      'trainEnd',
    ]);
  });

  it('model.stopTraining = true ends training after the current batch', async () => {
    const m = model();
    let batches = 0;
    const history = await m.fit(x, y, {
      epochs: 5, batchSize: 10, verbose: 0,
      callbacks: [{ onBatchEnd: (b) => { batches++; if (b === 3) m.stopTraining = true; } }],
    });
    expect(batches).toBe(4);
    expect(history.epoch).toEqual([0]);
    const again = await m.fit(x, y, { epochs: 3, verbose: 0, callbacks: [{ onEpochEnd: (e) => { if (e === 1) m.stopTraining = true; } }] });
    expect(again.epoch).toEqual([0, 1]);
  });

  it('EarlyStopping stops after `patience` epochs without improvement', async () => {
    // mode 'max' on a falling loss: epoch 0 stays the best, so training stops at epoch `patience`
    const stopper = new EarlyStopping({ monitor: 'loss', mode: 'max', patience: 2 });
    const history = await model().fit(x, y, { epochs: 10, verbose: 0, callbacks: [stopper] });
    expect(history.epoch).toEqual([0, 1, 2]);
    expect(stopper.stoppedEpoch).toBe(2);
    expect(stopper.bestEpoch).toBe(0);
  });

  it('EarlyStopping with restoreBestWeights puts back the best epoch\'s weights', async () => {
    const m = model(3);
    const snapshots: number[][][] = [];
    const recorder = { onEpochEnd: async () => void snapshots.push(await weightValues(m)) };
    const stopper = new EarlyStopping({ monitor: 'loss', mode: 'max', patience: 2, restoreBestWeights: true });
    await m.fit(x, y, { epochs: 10, verbose: 0, callbacks: [recorder, stopper] });
    expect(snapshots).toHaveLength(3);
    const restored = await weightValues(m);
    expect(restored).toEqual(snapshots[0]);
    expect(restored).not.toEqual(snapshots[2]);
  });

  it('EarlyStopping on val_loss with minDelta does not stop while it improves', async () => {
    const stopper = new EarlyStopping({ patience: 1, minDelta: 1e-6 });
    const history = await model(5).fit(x, y, { epochs: 4, verbose: 0, validationData: [x, y], callbacks: [stopper] });
    expect(history.epoch).toEqual([0, 1, 2, 3]);
  });

  it('ReduceLROnPlateau lowers the learning rate when the monitored value stalls', async () => {
    const m = model(7);
    const start = m.optimizer.learningRate;
    const lrs: number[] = [];
    const reducer = new ReduceLROnPlateau({ monitor: 'loss', mode: 'max', factor: 0.5, patience: 1, minLr: start / 8 });
    const history = await m.fit(x, y, { epochs: 6, verbose: 0, callbacks: [reducer, { onEpochEnd: (_e: number, logs: Logs) => void lrs.push(logs.learning_rate) }] });
    // epoch 0 sets the best; every later epoch fails to "improve" and halves the lr, down to minLr
    expect(lrs).toEqual([start, start, start / 2, start / 4, start / 8, start / 8]);
    expect(m.optimizer.learningRate).toBeCloseTo(start / 8, 12);
    expect(history.history.learning_rate).toEqual(lrs);
  });

  it('ReduceLROnPlateau honours cooldown and rejects factor >= 1', async () => {
    const m = model(9);
    const start = m.optimizer.learningRate;
    const reducer = new ReduceLROnPlateau({ monitor: 'loss', mode: 'max', factor: 0.5, patience: 1, cooldown: 2 });
    await m.fit(x, y, { epochs: 6, verbose: 0, callbacks: [reducer] });
    // Keras's rule: reductions after epochs 1, 3 and 5 (without the cooldown: after each of 1..5)
    expect(m.optimizer.learningRate).toBeCloseTo(start / 8, 12);
    expect(() => new ReduceLROnPlateau({ factor: 1 })).toThrow(/factor must be < 1/);
  });
});
