// Strata's networks for the training workloads and `bench:epoch`: the book's MNIST network (defined here),
// the book's convnet and the sequential-MNIST LSTM (the examples' own models and preprocessing, imported).
import type { Split } from '@strata/datasets';
import { Sequential, gather, layers, setBackend, setRandomSeed, slice, tensor, type Tensor } from '@strata/layers';
import { bookConvnet, prepareImages } from '../../../examples/mnist-mlp/convnet.ts';
import { lstmModel, prepareSequences } from '../../../examples/sequential-mnist/lstm-mnist.ts';
import { BENCH_SEED, loadMnist, oneHot, toFloatPixels } from './data.ts';
import type { Network } from './jobs.ts';
import { BATCH_SIZE, type Trainer } from './training.ts';

export type StrataBackend = 'cpu' | 'webgpu';

/** A compiled network with its training and test tensors. */
interface Task {
  readonly network: Sequential;
  readonly batchSize: number;
  readonly train: readonly [Tensor, Tensor];
  readonly test: readonly [Tensor, Tensor];
}

/** The book's network, compiled as the book does: 784 → Dense(hidden, relu) → Dense(10, softmax), RMSprop. */
export function bookMlp(hidden = 512): Sequential {
  const network = new Sequential([
    layers.dense({ units: hidden, activation: 'relu', inputShape: [28 * 28] }),
    layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  network.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return network;
}

function bookTask(): Task {
  const [[trainImages, trainLabels], [testImages, testLabels]] = loadMnist();
  const data = (images: Uint8Array, labels: Uint8Array): [Tensor, Tensor] => [
    tensor(toFloatPixels(images), [labels.length, 784], 'float32'),
    tensor(oneHot(labels), [labels.length, 10], 'float32'),
  ];
  return { network: bookMlp(), batchSize: BATCH_SIZE, train: data(trainImages.values, trainLabels.values), test: data(testImages.values, testLabels.values) };
}

/** The examples' preprocessing gives {x, y}; their models are compiled as the examples run them. */
function exampleTask(network: Sequential, batchSize: number, prepare: (split: Split) => { x: Tensor; y: Tensor }): Task {
  const [train, test] = loadMnist().map(prepare);
  return { network, batchSize, train: [train.x, train.y], test: [test.x, test.y] };
}

const TASKS: Readonly<Record<Network, () => Task>> = {
  training: bookTask,
  convnet: () => exampleTask(bookConvnet(), 64, prepareImages),
  lstm: () => exampleTask(lstmModel(), 128, prepareSequences),
};

/** Waits until the device has produced `t` (a one-element read). */
export async function settle(t: Tensor): Promise<void> {
  const first = slice(t, [{ start: 0, stop: 1 }]);
  await first.data();
  first.dispose();
}

export async function strataTrainer(backend: StrataBackend, workload: Network = 'training'): Promise<Trainer> {
  await setBackend(backend);
  setRandomSeed(BENCH_SEED);
  const { network, batchSize, train: [x, y], test: [testX, testY] } = TASKS[workload]();
  let staged: [Tensor, Tensor] | undefined;
  return {
    trainSamples: x.shape[0],
    batchSize,
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
      await network.fit(staged[0], staged[1], { epochs: 1, batchSize, shuffle: false, verbose: 0 });
    },
    async testAccuracy() {
      const [, accuracy] = await network.evaluate(testX, testY, { batchSize, verbose: 0 });
      return accuracy;
    },
  };
}
