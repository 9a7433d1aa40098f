// Sequential MNIST in miniature, on both backends: LSTM(32) → Dense(10, softmax) (the example's model at a
// quarter of its width, to keep CI short), adam, 2 epochs of batch 128 on the first 2,000 training images,
// then the first 1,000 test images. Python Keras 3 (JAX) on the same data and schedule reaches
// KERAS_ACCURACY on average over 3 seeds (scripts/lstm_mnist_keras.py --samples 2000 --test 1000 --epochs 2
// --units 32 --seeds 3); Strata must come within 0.08 of it (initial weights and batch order differ).
import { mnist } from '@strata/datasets';
import { disposeBackends, memory, setBackend, setRandomSeed } from '@strata/layers';
import { afterAll, describe, expect, it } from 'vitest';
import { firstSamples } from '../../mnist-mlp/book.ts';
import { lstmModel, prepareSequences } from '../lstm-mnist.ts';

const KERAS_ACCURACY = 0.254;
const [trainSplit, testSplit] = mnist.loadData();

afterAll(async () => {
  setRandomSeed(undefined);
  await disposeBackends();
});

describe.each(['cpu', 'webgpu'] as const)('sequential MNIST (LSTM) on %s', (backend) => {
  it('2 epochs on 2,000 images reach Keras\'s accuracy on 1,000 test images', async () => {
    await setBackend(backend);
    setRandomSeed(1);
    const before = memory().numTensors;
    const train = prepareSequences(firstSamples(trainSplit, 2000));
    const test = prepareSequences(firstSamples(testSplit, 1000));
    const model = lstmModel(32);
    const started = performance.now();
    await model.fit(train.x, train.y, { epochs: 2, batchSize: 128, verbose: 0 });
    const seconds = (performance.now() - started) / 1000;
    const [loss, accuracy] = (await model.evaluate(test.x, test.y, { verbose: 0 })) as number[];
    console.log(`${backend}: test loss ${loss.toFixed(4)}, accuracy ${accuracy.toFixed(4)} (Keras ${KERAS_ACCURACY}), ${seconds.toFixed(1)} s`);
    expect(accuracy).toBeGreaterThan(KERAS_ACCURACY - 0.08);
    for (const t of [train.x, train.y, test.x, test.y]) t.dispose();
    model.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
