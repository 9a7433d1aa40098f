import { describe, expect, it } from 'vitest';
import { losses, metrics, tensor, tidy, type Tensor } from '../src/index.ts';
import { values } from './helpers.ts';

async function perSample(metric: metrics.Metric, yTrue: Tensor, yPred: Tensor): Promise<number[]> {
  const t = tidy(() => metric.perSample(yTrue, yPred));
  const v = await values(t);
  t.dispose();
  yTrue.dispose();
  yPred.dispose();
  return v;
}

const pred = [[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.3, 0.5], [0.6, 0.3, 0.1]];

describe('metrics', () => {
  it('categorical, sparse categorical and binary accuracy', async () => {
    expect(await perSample(metrics.categoricalAccuracy, tensor([[0, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]), tensor(pred))).toEqual([1, 0, 1, 1]);
    expect(await perSample(metrics.sparseCategoricalAccuracy, tensor([1, 1, 2, 1], [4], 'int32'), tensor(pred))).toEqual([1, 0, 1, 0]);
    expect(await perSample(metrics.sparseCategoricalAccuracy, tensor([[1], [0], [2], [0]]), tensor(pred))).toEqual([1, 1, 1, 1]);
    expect(await perSample(metrics.binaryAccuracy, tensor([[1, 0], [0, 1]]), tensor([[0.7, 0.2], [0.6, 0.4]]))).toEqual([1, 0]);
    expect(await perSample(metrics.binaryAccuracy, tensor([1, 0, 1]), tensor([[0.51], [0.5], [0.49]]))).toEqual([1, 1, 0]);
  });

  it('mse and mae', async () => {
    const mse = await perSample(metrics.getMetric('mse', losses.meanSquaredError), tensor([[1, 2]]), tensor([[2, 4]]));
    expect(mse[0]).toBeCloseTo(2.5);
    const mae = await perSample(metrics.getMetric('mae', losses.meanSquaredError), tensor([[1, 2]]), tensor([[2, 4]]));
    expect(mae[0]).toBeCloseTo(1.5);
  });

  it("'accuracy' resolves by the loss, as Keras does", async () => {
    const y1h = [[0, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]];
    const cat = metrics.getMetric('accuracy', losses.categoricalCrossentropy);
    expect(cat.name).toBe('accuracy');
    expect(await perSample(cat, tensor(y1h), tensor(pred))).toEqual([1, 0, 1, 1]);
    const sparse = metrics.getMetric('acc', losses.sparseCategoricalCrossentropy);
    expect(sparse.name).toBe('acc');
    expect(await perSample(sparse, tensor([1, 1, 2, 1], [4], 'int32'), tensor(pred))).toEqual([1, 0, 1, 0]);
    const bin = metrics.getMetric('accuracy', losses.binaryCrossentropy);
    expect(await perSample(bin, tensor([[1], [0]]), tensor([[0.9], [0.9]]))).toEqual([1, 0]);
    const byShape = metrics.getMetric('accuracy', losses.meanSquaredError);
    expect(await perSample(byShape, tensor([[1], [0]]), tensor([[0.9], [0.9]]))).toEqual([1, 0]);
  });

  it('unknown names list the valid ones', () => {
    expect(() => metrics.getMetric('f1', losses.meanSquaredError)).toThrow(/Unknown metric "f1"; valid metrics are categorical_accuracy, sparse_categorical_accuracy, binary_accuracy/);
  });
});
