// The functional example in miniature, on every backend: the two-input, two-output model trained for one
// epoch on the first 2,000 MNIST training images; every loss must fall.
import { mnist } from '@strata/datasets';
import { dispose, disposeBackends, memory, setBackend, setRandomSeed } from '@strata/layers';
import { afterAll, describe, expect, it } from 'vitest';
import { firstSamples } from '../../mnist-mlp/book.ts';
import { disposeData, prepareTwoHeads, twoHeadsModel } from '../two-heads.ts';

const [trainSplit] = mnist.loadData();

afterAll(async () => {
  setRandomSeed(undefined);
  await disposeBackends();
});

describe.each(['cpu', 'webgpu'] as const)('the two-input, two-output MNIST model on %s', (backend) => {
  it('1 epoch on 2,000 samples: the total loss and both heads\' losses fall', async () => {
    await setBackend(backend);
    setRandomSeed(1);
    const before = memory().numTensors;
    const data = prepareTwoHeads(firstSamples(trainSplit, 2000));
    const model = twoHeadsModel();
    expect(model.metricsNames).toEqual(['loss', 'digit_loss', 'parity_loss', 'digit_accuracy', 'parity_accuracy']);

    const initial = await model.evaluate(data.x, data.y, { verbose: 0, returnDict: true });
    const history = await model.fit(data.x, data.y, { epochs: 1, batchSize: 64, verbose: 0 });
    const trained = await model.evaluate(data.x, data.y, { verbose: 0, returnDict: true });
    console.log(`${backend}: ${Object.keys(trained).map((k) => `${k} ${initial[k].toFixed(4)} → ${trained[k].toFixed(4)}`).join(', ')}`);

    expect(history.params.steps).toBe(32);
    expect(Object.keys(history.history).sort()).toEqual(['digit_accuracy', 'digit_loss', 'loss', 'parity_accuracy', 'parity_loss']);
    // the total is the weighted sum of the heads' losses (lossWeights digit 1, parity 0.2)
    expect(trained.loss).toBeCloseTo(trained.digit_loss + 0.2 * trained.parity_loss, 4);
    // untrained: digit ≈ ln 10 = 2.30, parity ≈ ln 2 = 0.69, chance accuracies 0.1 / 0.5
    expect(initial.digit_loss).toBeGreaterThan(2.0);
    expect(trained.digit_loss).toBeLessThan(initial.digit_loss * 0.5);
    expect(trained.parity_loss).toBeLessThan(initial.parity_loss * 0.9);
    expect(trained.loss).toBeLessThan(initial.loss * 0.5);
    expect(trained.digit_accuracy).toBeGreaterThan(0.8);

    const [digits, odd] = model.predict(data.x, { batchSize: 500 });
    expect(digits.shape).toEqual([2000, 10]);
    expect(odd.shape).toEqual([2000, 1]);
    dispose([digits, odd]);
    disposeData(data);
    model.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
