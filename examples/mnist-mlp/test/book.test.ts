// The main job in miniature, on every backend: the book's network, 1 epoch over the first 2,000 MNIST
// training images, judged on the first 1,000 test images.
import { mnist } from '@strata/datasets';
import { disposeBackends, dispose, memory, setBackend, setRandomSeed } from '@strata/layers';
import { afterAll, describe, expect, it } from 'vitest';
import { bookNetwork, firstSamples, prepare } from '../book.ts';

// Untrained, the softmax is near uniform: loss ≈ ln(10) = 2.30 and accuracy ≈ chance (0.10). Python Keras 3
// running the same 16 steps (examples/mnist-mlp/scripts/keras_subset.py, seeds 0–4) ends at train loss
// 0.51–0.57 and test accuracy 0.780–0.811; Strata measured 0.56 / 0.78–0.79 on both backends. The bar sits
// below Keras's spread with room for seeds; a wrong gradient or broken kernel, near chance, cannot pass.
const ACCURACY_BAR = 0.7;

const [trainSplit, testSplit] = mnist.loadData();

afterAll(async () => {
  setRandomSeed(undefined);
  await disposeBackends();
});

describe.each(['cpu', 'webgpu'] as const)('the book MNIST network on %s', (backend) => {
  it('1 epoch on 2,000 samples: the loss falls and test accuracy passes the bar', async () => {
    await setBackend(backend);
    setRandomSeed(1);
    const before = memory().numTensors;
    const train = prepare(firstSamples(trainSplit, 2000));
    const test = prepare(firstSamples(testSplit, 1000));
    const network = bookNetwork();

    const [initialLoss] = await network.evaluate(train.x, train.y, { verbose: 0 });
    const history = await network.fit(train.x, train.y, { epochs: 1, batchSize: 128, verbose: 0 });
    const [trainedLoss] = await network.evaluate(train.x, train.y, { verbose: 0 });
    const [, testAcc] = await network.evaluate(test.x, test.y, { verbose: 0 });
    console.log(`${backend}: train loss ${initialLoss.toFixed(4)} → ${trainedLoss.toFixed(4)}, test accuracy ${testAcc.toFixed(4)}`);

    expect(history.params.steps).toBe(16); // ceil(2000 / 128), the last partial batch included
    expect(initialLoss).toBeGreaterThan(2.0);
    expect(trainedLoss).toBeLessThan(initialLoss * 0.5);
    expect(testAcc).toBeGreaterThanOrEqual(ACCURACY_BAR);

    dispose([train.x, train.y, test.x, test.y]);
    network.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
