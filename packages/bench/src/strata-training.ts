// The book's network in Strata, for the training workload and `bench:epoch`.
import { Sequential, gather, layers, setBackend, setRandomSeed, slice, tensor, type Tensor } from '@strata/layers';
import { BENCH_SEED, loadMnist, oneHot, toFloatPixels } from './data.ts';
import { BATCH_SIZE, type Trainer } from './training.ts';

export type StrataBackend = 'cpu' | 'webgpu';

function bookNetwork(): Sequential {
  const network = new Sequential([
    layers.dense({ units: 512, activation: 'relu', inputShape: [28 * 28] }),
    layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  network.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return network;
}

/** Waits until the device has produced `t` (a one-element read). */
async function settle(t: Tensor): Promise<void> {
  const first = slice(t, [{ start: 0, stop: 1 }]);
  await first.data();
  first.dispose();
}

export async function strataTrainer(backend: StrataBackend): Promise<Trainer> {
  await setBackend(backend);
  setRandomSeed(BENCH_SEED);
  const [[trainImages, trainLabels], [testImages, testLabels]] = loadMnist();
  const trainSamples = trainLabels.shape[0];
  const x = tensor(toFloatPixels(trainImages.values), [trainSamples, 784], 'float32');
  const y = tensor(oneHot(trainLabels.values), [trainSamples, 10], 'float32');
  const testX = tensor(toFloatPixels(testImages.values), [testLabels.shape[0], 784], 'float32');
  const testY = tensor(oneHot(testLabels.values), [testLabels.shape[0], 10], 'float32');
  const network = bookNetwork();
  let staged: [Tensor, Tensor] | undefined;
  return {
    trainSamples,
    async stage(order) {
      staged?.forEach((t) => t.dispose());
      const indices = tensor(order, [order.length], 'int32');
      staged = [gather(x, indices), gather(y, indices)];
      indices.dispose();
      await settle(staged[0]);
      await settle(staged[1]);
    },
    async fit() {
      if (!staged) throw new Error('strata trainer: fit() before stage()');
      await network.fit(staged[0], staged[1], { epochs: 1, batchSize: BATCH_SIZE, shuffle: false, verbose: 0 });
    },
    async testAccuracy() {
      const [, accuracy] = await network.evaluate(testX, testY, { batchSize: BATCH_SIZE, verbose: 0 });
      return accuracy;
    },
  };
}
