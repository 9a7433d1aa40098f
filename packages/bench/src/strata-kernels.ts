import { add, matmul, reshape, setBackend, slice, sum, tensor, type Tensor } from '@strata/layers';
import { kernelCase, randomValues, type KernelFactory } from './kernels.ts';
import type { StrataBackend } from './strata-training.ts';

const random = (shape: number[]): Tensor => tensor(randomValues(shape.reduce((a, b) => a * b, 1)), shape, 'float32');

/** Waits for `result` to be computed: reads its first element. */
export async function settle(result: Tensor): Promise<void> {
  const flat = reshape(result, [-1]);
  const first = slice(flat, [{ start: 0, stop: 1 }]);
  await first.data();
  [flat, first].forEach((t) => t.dispose());
}

export async function strataKernels(backend: StrataBackend): Promise<KernelFactory> {
  await setBackend(backend);
  return {
    matmul(m, k, n) {
      const [a, b] = [random([m, k]), random([k, n])];
      return kernelCase([a, b], () => matmul(a, b), settle);
    },
    add(size) {
      const [a, b] = [random([size]), random([size])];
      return kernelCase([a, b], () => add(a, b), settle);
    },
    sum(rows, cols) {
      const x = random([rows, cols]);
      return kernelCase([x], () => sum(x), settle);
    },
  };
}
