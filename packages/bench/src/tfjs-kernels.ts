import type { Tensor } from '@tensorflow/tfjs-core';
import { kernelCase, randomValues, type KernelFactory } from './kernels.ts';
import { loadTfjs, type TfjsBackend } from './tfjs-setup.ts';

export async function tfjsKernels(backend: TfjsBackend): Promise<KernelFactory> {
  const { tf } = await loadTfjs(backend);
  const random = (shape: number[]): Tensor => tf.tensor(randomValues(shape.reduce((a, b) => a * b, 1)), shape);
  const settle = async (result: Tensor): Promise<void> => {
    const first = tf.tidy(() => tf.slice(tf.reshape(result, [-1]), [0], [1]));
    await first.data();
    first.dispose();
  };
  return {
    matmul(m, k, n) {
      const [a, b] = [random([m, k]), random([k, n])];
      return kernelCase([a, b], () => tf.matMul(a, b), settle);
    },
    add(size) {
      const [a, b] = [random([size]), random([size])];
      return kernelCase([a, b], () => tf.add(a, b), settle);
    },
    sum(rows, cols) {
      const x = random([rows, cols]);
      return kernelCase([x], () => tf.sum(x), settle);
    },
  };
}
