import { afterAll, describe, expect, it } from 'vitest';
import { Sequential, layers, setBackend, tensor, toCategorical } from '../src/index.ts';

/** toCategorical refuses labels Keras or numpy would refuse, or would silently wrap or truncate. */
describe('toCategorical checks its labels', () => {
  it('names a label that is too large, negative or not an integer, and where it is', () => {
    expect(() => toCategorical([0, 2, 3], 3)).toThrow('toCategorical: label 3 at index 2 is not below numClasses 3 (valid: integers 0 to 2)');
    expect(() => toCategorical([0, -1], 3)).toThrow('toCategorical: label -1 at index 1 is negative (valid: integers 0 to 2)');
    expect(() => toCategorical([0, 1.5])).toThrow('toCategorical: label 1.5 at index 1 is not an integer (valid: integers 0 to numClasses - 1)');
    expect(() => toCategorical(tensor([0, 1, 1.5, 2]), 3)).toThrow('toCategorical: label 1.5 at index 2 is not an integer');
    expect(() => toCategorical(tensor([[0], [7]], undefined, 'int32'), 3)).toThrow('toCategorical: label 7 at index 1 is not below numClasses 3');
    expect(() => toCategorical([0, 1], 0)).toThrow('toCategorical: numClasses must be a positive integer, got 0');
  });

  it('valid labels still give one-hot rows', async () => {
    expect(Array.from(await toCategorical([2, 0]).data())).toEqual([0, 0, 1, 1, 0, 0]);
    expect(Array.from(await toCategorical(tensor([1, 0]), 2).data())).toEqual([0, 1, 1, 0]);
  });
});

describe('on WebGPU (labels read asynchronously)', () => {
  afterAll(() => setBackend('cpu'));

  it('bad labels of a tensor become NaN rows, which fit rejects naming the flat index', async () => {
    await setBackend('webgpu');
    const rows = await toCategorical(tensor([0, 5, -1, 1.5, 2]), 3).data();
    expect(Array.from(rows.slice(0, 3))).toEqual([1, 0, 0]);
    expect(Array.from(rows.slice(3, 12)).every(Number.isNaN)).toBe(true);
    expect(Array.from(rows.slice(12))).toEqual([0, 0, 1]);
    const model = new Sequential([layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
    const y = toCategorical(tensor([0, 4]), 3);
    await expect(model.fit(tensor([[1, 2], [3, 4]]), y, { verbose: 0 })).rejects.toThrow('fit: y contains NaN at flat index 3 (shape (2,3)); labels must be finite numbers');
  });
});

describe.each(['cpu', 'webgpu'] as const)('sparse labels on %s', (backend) => {
  afterAll(() => setBackend('cpu'));

  it('are counted on the device; a bad one is named with its index by fit and evaluate', async () => {
    await setBackend(backend);
    const model = new Sequential([layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })]);
    model.compile({ optimizer: 'sgd', loss: 'sparse_categorical_crossentropy' });
    const x = tensor([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const before = await Promise.all(model.getWeights().map((w) => w.data()));
    const valid = /is not a valid class index for sparse_categorical_crossentropy with 3 classes \(valid: integers 0 to 2\)/;
    await expect(model.fit(x, tensor([0, 1, 3, 2], [4], 'int32'), { verbose: 0 })).rejects.toThrow(new RegExp(`^fit: label 3 at index 2 ${valid.source}`));
    await expect(model.fit(x, tensor([0, 1, 2, -1], [4], 'int32'), { verbose: 0 })).rejects.toThrow('fit: label -1 at index 3 is not a valid class index');
    await expect(model.evaluate(x, tensor([0, 0.5, 2, 1]), { verbose: 0 })).rejects.toThrow('evaluate: label 0.5 at index 1 is not a valid class index');
    await expect(model.evaluate(x, tensor([0, 1, NaN, 1]), { verbose: 0 })).rejects.toThrow('evaluate: label NaN at index 2 is not a valid class index');
    expect(await Promise.all(model.getWeights().map((w) => w.data()))).toEqual(before);
    await model.fit(x, tensor([0, 1, 2, 1], [4], 'int32'), { verbose: 0 }); // valid labels pass the device check
  });
});
