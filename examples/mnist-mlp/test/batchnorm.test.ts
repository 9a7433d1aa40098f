// BatchNormalization in the MLP on real data, on every backend: Dense(128) → BatchNormalization → relu →
// Dense(10, softmax), 1 epoch of batch 128 over the first 2,000 MNIST training images, judged on the first
// 1,000 test images in inference mode (the moving statistics).
import { mnist } from '@strata/datasets';
import { BatchNormalization, Sequential, disposeBackends, dispose, layers, memory, setBackend, setRandomSeed } from '@strata/layers';
import { afterAll, describe, expect, it } from 'vitest';
import { firstSamples, prepare } from '../book.ts';

// Python Keras 3 running the same 16 steps (scripts/keras_subset.py --batchnorm, seeds 0–4): train loss
// 2.35–2.46 → 0.81–0.89, test accuracy 0.734–0.775; Strata (seed 1) measured 0.82 / 0.776 on both backends.
// The bars sit below Keras's spread; with the moving statistics never updated the same run measured
// train loss 1.37 and test accuracy 0.694, failing both.
const ACCURACY_BAR = 0.72;

const [trainSplit, testSplit] = mnist.loadData();
const trainedLosses: Partial<Record<'cpu' | 'webgpu', number>> = {};

afterAll(async () => {
  setRandomSeed(undefined);
  await disposeBackends();
});

describe.each(['cpu', 'webgpu'] as const)('the MNIST MLP with BatchNormalization on %s', (backend) => {
  it('1 epoch on 2,000 samples: the loss falls, the moving statistics move, test accuracy passes the bar', async () => {
    await setBackend(backend);
    setRandomSeed(1);
    const before = memory().numTensors;
    const train = prepare(firstSamples(trainSplit, 2000));
    const test = prepare(firstSamples(testSplit, 1000));
    const bn = layers.batchNormalization({ momentum: 0.9 });
    const model = new Sequential([layers.dense({ units: 128, inputShape: [784] }), bn, layers.activation({ activation: 'relu' }), layers.dense({ units: 10, activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });

    const [initialLoss] = await model.evaluate(train.x, train.y, { verbose: 0 });
    await model.fit(train.x, train.y, { epochs: 1, batchSize: 128, verbose: 0 });
    const [trainedLoss] = await model.evaluate(train.x, train.y, { verbose: 0 });
    const [, testAcc] = await model.evaluate(test.x, test.y, { verbose: 0 });
    console.log(`${backend}: train loss ${initialLoss.toFixed(4)} → ${trainedLoss.toFixed(4)}, test accuracy ${testAcc.toFixed(4)}`);

    expect(bn).toBeInstanceOf(BatchNormalization);
    const variance = await bn.movingVariance!.data();
    expect(Array.from(variance).every((v) => v !== 1)).toBe(true);
    expect(trainedLoss).toBeLessThan(initialLoss * 0.5);
    expect(testAcc).toBeGreaterThanOrEqual(ACCURACY_BAR);
    // the same seed gives the same run on both backends, up to float rounding
    trainedLosses[backend] = trainedLoss;
    if (backend === 'webgpu') expect(Math.abs(trainedLoss - trainedLosses.cpu!)).toBeLessThan(2e-3);

    model.dispose();
    dispose([train.x, train.y, test.x, test.y]);
    expect(memory().numTensors).toBe(before);
  });
});
