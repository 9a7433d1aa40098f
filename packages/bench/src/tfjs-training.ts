// The training workloads' networks in TensorFlow.js layers, on the same data and batch order as Strata:
// the book's MNIST network, the book's convnet and the sequential-MNIST LSTM, with the same layers,
// optimizers and batch sizes. Labels are one-hot with categorical cross-entropy (the same loss as the
// sparse form Strata's convnet and LSTM use).
import type { Tensor } from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { loadMnist, oneHot, toFloatPixels } from './data.ts';
import type { Network } from './jobs.ts';
import { loadTfjs, type Tfjs, type TfjsBackend } from './tfjs-setup.ts';
import { BATCH_SIZE, type Trainer } from './training.ts';

interface TfjsTask {
  /** Shape of one sample. */
  readonly sample: number[];
  readonly batchSize: number;
  readonly optimizer: 'rmsprop' | 'adam';
  network(t: Tfjs): LayersModel;
}

/** The book's network in tfjs-layers: 784 → Dense(hidden, relu) → Dense(10, softmax) (compiled by the caller). */
export function tfjsMlp({ tfl }: Tfjs, hidden = 512): LayersModel {
  return tfl.sequential({
    layers: [tfl.layers.dense({ units: hidden, activation: 'relu', inputShape: [784] }), tfl.layers.dense({ units: 10, activation: 'softmax' })],
  });
}

const TASKS: Readonly<Record<Network, TfjsTask>> = {
  training: {
    sample: [784],
    batchSize: BATCH_SIZE,
    optimizer: 'rmsprop',
    network: (lib) => tfjsMlp(lib),
  },
  convnet: {
    sample: [28, 28, 1],
    batchSize: 64,
    optimizer: 'rmsprop',
    network: ({ tfl }) => tfl.sequential({
      layers: [
        tfl.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
        tfl.layers.maxPooling2d({ poolSize: 2 }),
        tfl.layers.conv2d({ filters: 128, kernelSize: 3, activation: 'relu' }),
        tfl.layers.flatten(),
        tfl.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    }),
  },
  lstm: {
    sample: [28, 28],
    batchSize: 128,
    optimizer: 'adam',
    network: ({ tfl }) => tfl.sequential({
      // tfjs-layers 4.22's orthogonal initializer (the LSTM's recurrent default) throws `rMat.flatten is not a
      // function`; the starting values do not change a step's work, so glorot-uniform stands in for it.
      layers: [tfl.layers.lstm({ units: 128, inputShape: [28, 28], recurrentInitializer: 'glorotUniform' }), tfl.layers.dense({ units: 10, activation: 'softmax' })],
    }),
  },
};

export async function tfjsTrainer(backend: TfjsBackend, workload: Network = 'training'): Promise<Trainer> {
  const lib = await loadTfjs(backend);
  const { tf } = lib;
  const task = TASKS[workload];
  const [[trainImages, trainLabels], [testImages, testLabels]] = loadMnist();
  const data = (images: Uint8Array, labels: Uint8Array): [Tensor, Tensor] => [
    tf.tensor(toFloatPixels(images), [labels.length, ...task.sample]),
    tf.tensor2d(oneHot(labels), [labels.length, 10]),
  ];
  const [x, y] = data(trainImages.values, trainLabels.values);
  const [testX, testY] = data(testImages.values, testLabels.values);
  const network = task.network(lib);
  network.compile({ optimizer: task.optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  let staged: [Tensor, Tensor] | undefined;
  return {
    trainSamples: trainLabels.shape[0],
    batchSize: task.batchSize,
    async stage(order) {
      staged?.forEach((t) => t.dispose());
      const indices = tf.tensor1d(order, 'int32');
      staged = [tf.gather(x, indices), tf.gather(y, indices)];
      indices.dispose();
      const firsts = staged.map((t) => tf.slice(t, 0, 1));
      await Promise.all(firsts.map((t) => t.data()));
      tf.dispose(firsts);
    },
    async fit() {
      if (!staged) throw new Error('tfjs trainer: fit() before stage()');
      await network.fit(staged[0], staged[1], { epochs: 1, batchSize: task.batchSize, shuffle: false, verbose: 0 });
    },
    async testAccuracy() {
      const scores = network.evaluate(testX, testY, { batchSize: task.batchSize }) as Tensor[];
      const accuracy = (await scores[1].data())[0];
      tf.dispose(scores);
      return accuracy;
    },
  };
}
