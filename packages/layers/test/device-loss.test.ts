import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ModelCheckpoint, Sequential, disposeBackends, getBackend, layers, loadModel, setBackend, tensor, toCategorical, type Tensor,
} from '../src/index.ts';
import { weightValues } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'strata-device-loss-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await disposeBackends();
});

/** Host-side data, so it can be uploaded again after the device is gone. */
const N = 48;
const xs = Array.from({ length: N }, (_, i) => [Math.sin(i), Math.cos(i), (i % 3) - 1, (i % 5) / 5]);
const classes = Array.from({ length: N }, (_, i) => i % 3);
function data(): { x: Tensor; y: Tensor } {
  return { x: tensor(xs), y: toCategorical(tensor(classes, [N], 'int32'), 3) };
}

function model(): Sequential {
  const m = new Sequential([layers.dense({ units: 6, activation: 'tanh', inputShape: [4] }), layers.dense({ units: 3, activation: 'softmax' })]);
  m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy' });
  return m;
}

/** Destroys the active WebGPU device at step `step` of epoch `epoch` (0-based), recording weights at each epoch end. */
function saboteur(net: Sequential, epoch: number, step: number): { atEpochEnd: number[][][]; hooks: object } {
  const atEpochEnd: number[][][] = [];
  let current = 0;
  const hooks = {
    onEpochBegin: (e: number) => void (current = e),
    onEpochEnd: async () => void atEpochEnd.push(await weightValues(net)),
    onBatchEnd: (batch: number) => {
      if (current === epoch && batch === step) (getBackend() as unknown as { device: GPUDevice }).device.destroy();
    },
  };
  return { atEpochEnd, hooks };
}

describe('device loss during fit (device.destroy() mid-epoch)', () => {
  it('stops with an error naming the epoch and step, and leaves the last good weights readable on the cpu', async () => {
    await setBackend('webgpu');
    const { x, y } = data();
    const net = model();
    const { atEpochEnd, hooks } = saboteur(net, 2, 1);
    await expect(net.fit(x, y, { epochs: 5, batchSize: 8, shuffle: false, verbose: 0, callbacks: [hooks] })).rejects.toThrow(
      /^fit: training stopped in epoch 3, at or before step \d\/6: the webgpu device was lost \(destroyed: .*\); tensors stored on it are gone\. The model's weights were restored to those at the end of epoch 2 on the cpu backend, now the active backend; the optimizer's state was reset\./,
    );
    expect(atEpochEnd).toHaveLength(2);
    expect(getBackend().name).toBe('cpu');
    expect(await weightValues(net)).toEqual(atEpochEnd[1]); // exactly the weights at the end of epoch 2
    // training goes on, on the cpu
    const again = data();
    const history = await net.fit(again.x, again.y, { epochs: 1, verbose: 0 });
    expect(Number.isFinite(history.history.loss[0])).toBe(true);
  });

  it('with ModelCheckpoint, training resumes from the checkpoint', async () => {
    await disposeBackends();
    await setBackend('webgpu');
    const { x, y } = data();
    const net = model();
    const filepath = join(dir, 'ckpt.keras');
    const { atEpochEnd, hooks } = saboteur(net, 3, 2);
    const checkpoint = new ModelCheckpoint({ filepath, monitor: 'loss' });
    await expect(net.fit(x, y, { epochs: 5, batchSize: 8, shuffle: false, verbose: 0, callbacks: [checkpoint, hooks] })).rejects.toThrow(/fit: training stopped in epoch 4/);
    const resumed = await loadModel(filepath); // on the cpu, now active
    expect(await weightValues(resumed)).toEqual(atEpochEnd[2]); // saved at the end of epoch 3
    const again = data();
    const history = await resumed.fit(again.x, again.y, { initialEpoch: 3, epochs: 5, batchSize: 8, verbose: 0 });
    expect(history.epoch).toEqual([3, 4]);
    expect(history.history.loss.every(Number.isFinite)).toBe(true);
  });
});
