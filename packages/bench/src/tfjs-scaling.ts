// TensorFlow.js's MLPs for the scaling workload, on the first training rows of MNIST (as strata-scaling.ts).
import type { Tensor } from '@tensorflow/tfjs-core';
import { loadMnist, oneHot, toFloatPixels } from './data.ts';
import type { ScalingFactory } from './scaling.ts';
import { loadTfjs, type TfjsBackend } from './tfjs-setup.ts';
import { tfjsMlp } from './tfjs-training.ts';

export async function tfjsScaling(backend: TfjsBackend): Promise<ScalingFactory> {
  const lib = await loadTfjs(backend);
  const { tf } = lib;
  const [[images, labels]] = loadMnist();
  const [pixels, targets] = [toFloatPixels(images.values), oneHot(labels.values)];
  return async ({ hidden, batch }) => {
    const network = tfjsMlp(lib, hidden);
    network.compile({ optimizer: 'rmsprop', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    let staged: Tensor[] = [];
    return {
      async stage(steps) {
        tf.dispose(staged);
        const rows = steps * batch;
        staged = [tf.tensor2d(pixels.subarray(0, rows * 784), [rows, 784]), tf.tensor2d(targets.subarray(0, rows * 10), [rows, 10])];
        await Promise.all(staged.map((t) => t.data()));
      },
      async fit() {
        await network.fit(staged[0], staged[1], { epochs: 1, batchSize: batch, shuffle: false, verbose: 0 });
      },
      dispose() {
        tf.dispose(staged);
        network.dispose();
      },
    };
  };
}
