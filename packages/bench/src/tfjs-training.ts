// The book's network in TensorFlow.js layers, on the same data and batch order as Strata.
import type { Tensor2D } from '@tensorflow/tfjs-core';
import { loadMnist, oneHot, toFloatPixels } from './data.ts';
import { loadTfjs, type TfjsBackend } from './tfjs-setup.ts';
import { BATCH_SIZE, type Trainer } from './training.ts';

export async function tfjsTrainer(backend: TfjsBackend): Promise<Trainer> {
  const { tf, tfl } = await loadTfjs(backend);
  const [[trainImages, trainLabels], [testImages, testLabels]] = loadMnist();
  const trainSamples = trainLabels.shape[0];
  const x = tf.tensor2d(toFloatPixels(trainImages.values), [trainSamples, 784]);
  const y = tf.tensor2d(oneHot(trainLabels.values), [trainSamples, 10]);
  const testX = tf.tensor2d(toFloatPixels(testImages.values), [testLabels.shape[0], 784]);
  const testY = tf.tensor2d(oneHot(testLabels.values), [testLabels.shape[0], 10]);
  const network = tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 512, activation: 'relu', inputShape: [784] }),
      tfl.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  network.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  let staged: [Tensor2D, Tensor2D] | undefined;
  return {
    trainSamples,
    async stage(order) {
      staged?.forEach((t) => t.dispose());
      const indices = tf.tensor1d(order, 'int32');
      staged = [tf.gather(x, indices), tf.gather(y, indices)];
      indices.dispose();
      const firsts = staged.map((t) => tf.slice(t, [0, 0], [1, 1]));
      await Promise.all(firsts.map((t) => t.data()));
      tf.dispose(firsts);
    },
    async fit() {
      if (!staged) throw new Error('tfjs trainer: fit() before stage()');
      await network.fit(staged[0], staged[1], { epochs: 1, batchSize: BATCH_SIZE, shuffle: false, verbose: 0 });
    },
    async testAccuracy() {
      const scores = network.evaluate(testX, testY, { batchSize: BATCH_SIZE }) as ReturnType<typeof tf.scalar>[];
      const accuracy = (await scores[1].data())[0];
      tf.dispose(scores);
      return accuracy;
    },
  };
}
