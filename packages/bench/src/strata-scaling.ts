// Strata's MLPs for the scaling workload, on the first training rows of MNIST.
import { setBackend, setRandomSeed, tensor, type Tensor } from '@strata/layers';
import { BENCH_SEED, loadMnist, oneHot, toFloatPixels } from './data.ts';
import type { ScalingFactory } from './scaling.ts';
import { bookMlp, settle, type StrataBackend } from './strata-training.ts';

export async function strataScaling(backend: StrataBackend): Promise<ScalingFactory> {
  await setBackend(backend);
  setRandomSeed(BENCH_SEED);
  const [[images, labels]] = loadMnist();
  const [pixels, targets] = [toFloatPixels(images.values), oneHot(labels.values)];
  return async ({ hidden, batch }) => {
    const network = bookMlp(hidden);
    let staged: Tensor[] = [];
    const release = (): void => staged.forEach((t) => t.dispose());
    return {
      async stage(steps) {
        release();
        const rows = steps * batch;
        staged = [tensor(pixels.subarray(0, rows * 784), [rows, 784], 'float32'), tensor(targets.subarray(0, rows * 10), [rows, 10], 'float32')];
        for (const t of staged) await settle(t);
      },
      async fit() {
        await network.fit(staged[0], staged[1], { epochs: 1, batchSize: batch, shuffle: false, verbose: 0 });
      },
      dispose() {
        release();
        network.dispose();
      },
    };
  };
}
