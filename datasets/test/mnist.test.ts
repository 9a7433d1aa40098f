import { describe, expect, it } from 'vitest';
import { mnist } from '../src/index.ts';
import type { Uint8Tensor } from '../src/index.ts';
import { writeTinyDataset } from './make-idx.ts';

function sum(t: Uint8Tensor): number {
  let s = 0;
  for (const v of t.values) s += v;
  return s;
}

describe('mnist.loadData', () => {
  it('loads the real MNIST files with Keras shapes', () => {
    const [[xTrain, yTrain], [xTest, yTest]] = mnist.loadData();
    expect(xTrain.shape).toEqual([60000, 28, 28]);
    expect(yTrain.shape).toEqual([60000]);
    expect(xTest.shape).toEqual([10000, 28, 28]);
    expect(yTest.shape).toEqual([10000]);
    expect(xTrain.values).toBeInstanceOf(Uint8Array);
    expect(xTrain.values.length).toBe(60000 * 28 * 28);
    expect(Array.from(yTrain.values.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(yTest.values.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    // Sums computed independently with numpy over the raw files.
    expect(sum(xTrain)).toBe(1567298545);
    expect(sum(yTrain)).toBe(267236);
    expect(sum(xTest)).toBe(264923200);
    expect(sum(yTest)).toBe(44434);
  });

  it('loads from a dir override', () => {
    const [[xTrain, yTrain], [xTest, yTest]] = mnist.loadData({ dir: writeTinyDataset(3, 2) });
    expect(xTrain.shape).toEqual([3, 2, 3]);
    expect(yTrain.shape).toEqual([3]);
    expect(xTest.shape).toEqual([2, 2, 3]);
    expect(Array.from(yTest.values)).toEqual([0, 1]);
  });

  it('rejects image/label count mismatch', () => {
    expect(() => mnist.loadData({ dir: writeTinyDataset(3, 2, 4) })).toThrow(/train split .*: 3 images but 4 labels/);
  });
});
