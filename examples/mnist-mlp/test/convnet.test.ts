// `pnpm mnist --model convnet` in miniature, on every backend: the book's convnet, 1 epoch of batch 64 over
// the first 512 MNIST training images, judged on the first 500 test images.
import { mnist } from '@strata/datasets';
import { disposeBackends, dispose, memory, setBackend, setRandomSeed } from '@strata/layers';
import { afterAll, describe, expect, it } from 'vitest';
import { firstSamples } from '../book.ts';
import { bookConvnet, prepareImages } from '../convnet.ts';

// Untrained: loss ≈ ln(10) = 2.30, accuracy ≈ chance (0.10). Python Keras 3 running the same 8 steps
// (scripts/keras_convnet_subset.py, seeds 0–4) ends at test loss 1.68–1.83 and test accuracy 0.384–0.548.
// The bars sit below Keras's spread with room for seeds; a wrong gradient or a broken kernel stays near
// chance. 8 steps and no other evaluation: SwiftShader runs this on the WebGPU backend (2026-12-03, on the
// 2-core host under load average ~15: CPU 8 s, WebGPU 169 s, both test loss 1.5997 and accuracy 0.5540).
const ACCURACY_BAR = 0.3;
const LOSS_BAR = 2.0;

const [trainSplit, testSplit] = mnist.loadData();

afterAll(async () => {
  setRandomSeed(undefined);
  await disposeBackends();
});

describe.each(['cpu', 'webgpu'] as const)("the book's convnet on %s", (backend) => {
  it('1 epoch on 512 samples: test loss and accuracy pass the bars', async () => {
    await setBackend(backend);
    setRandomSeed(1);
    const before = memory().numTensors;
    const train = prepareImages(firstSamples(trainSplit, 512));
    const test = prepareImages(firstSamples(testSplit, 500));
    const network = bookConvnet();
    expect(network.countParams()).toBe(104_202);

    const history = await network.fit(train.x, train.y, { epochs: 1, batchSize: 64, verbose: 0 });
    const [testLoss, testAcc] = await network.evaluate(test.x, test.y, { batchSize: 100, verbose: 0 });
    console.log(`${backend}: test loss ${testLoss.toFixed(4)}, test accuracy ${testAcc.toFixed(4)}`);

    expect(history.params.steps).toBe(8);
    expect(testLoss).toBeLessThan(LOSS_BAR);
    expect(testAcc).toBeGreaterThanOrEqual(ACCURACY_BAR);

    dispose([train.x, train.y, test.x, test.y]);
    network.dispose();
    expect(memory().numTensors).toBe(before);
  }, 300_000);
});
