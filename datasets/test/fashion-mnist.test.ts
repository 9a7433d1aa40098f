import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FASHION_MNIST_DIR, fashionMnist } from '../src/index.ts';
import { writeTinyDataset } from './make-idx.ts';

describe('fashionMnist.loadData', () => {
  // This machine has the Debian package `dataset-fashion-mnist` installed; no skip, so a missing install fails loudly.
  it('loads the Debian-packaged Fashion-MNIST with Keras shapes', () => {
    const [[xTrain, yTrain], [xTest, yTest]] = fashionMnist.loadData();
    expect(xTrain.shape).toEqual([60000, 28, 28]);
    expect(yTrain.shape).toEqual([60000]);
    expect(xTest.shape).toEqual([10000, 28, 28]);
    expect(yTest.shape).toEqual([10000]);
    // First labels and label/pixel sums checked independently with numpy.
    expect(Array.from(yTrain.values.subarray(0, 10))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    expect(Array.from(yTest.values.subarray(0, 10))).toEqual([9, 2, 1, 1, 6, 1, 4, 6, 5, 7]);
    expect(yTrain.values.reduce((a, b) => a + b, 0)).toBe(270000);
    expect(yTest.values.reduce((a, b) => a + b, 0)).toBe(45000);
    expect(xTrain.values.reduce((a, b) => a + b, 0)).toBe(3431114169);
    expect(xTest.values.reduce((a, b) => a + b, 0)).toBe(573469082);
  });

  it('names the apt package when the files are missing', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'strata-fashion-')), 'absent');
    expect(() => fashionMnist.loadData({ dir })).toThrow(
      `Fashion-MNIST not found at ${dir}; install it with: apt-get install dataset-fashion-mnist`,
    );
  });

  it('loads from a dir override', () => {
    const [[xTrain], [xTest, yTest]] = fashionMnist.loadData({ dir: writeTinyDataset(4, 1) });
    expect(xTrain.shape).toEqual([4, 2, 3]);
    expect(xTest.shape).toEqual([1, 2, 3]);
    expect(yTest.shape).toEqual([1]);
  });
});
