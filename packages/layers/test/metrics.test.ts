import { describe, expect, it } from 'vitest';
import { Dense, Sequential, losses, metrics, tensor, tidy, type Tensor } from '../src/index.ts';
import { values } from './helpers.ts';

/** A metric function's per-sample values. */
async function perSample(fn: metrics.MetricFn, yTrue: Tensor, yPred: Tensor): Promise<number[]> {
  const t = tidy(() => fn(yTrue, yPred));
  const v = await values(t);
  t.dispose();
  yTrue.dispose();
  yPred.dispose();
  return v;
}

/** A metric's result after one batch. */
async function resultOf(metric: metrics.Metric, yTrue: Tensor, yPred: Tensor): Promise<number[]> {
  tidy(() => metric.updateState(yTrue, yPred));
  const r = tidy(() => metric.result());
  const v = await values(r);
  r.dispose();
  metric.dispose();
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
    expect(await perSample(metrics.binaryAccuracy(), tensor([[1, 0], [0, 1]]), tensor([[0.7, 0.2], [0.6, 0.4]]))).toEqual([1, 0]);
    expect(await perSample(metrics.binaryAccuracy(), tensor([1, 0, 1]), tensor([[0.51], [0.5], [0.49]]))).toEqual([1, 1, 0]);
  });

  it('mse and mae', async () => {
    const mse = await resultOf(metrics.getMetric('mse', losses.meanSquaredError), tensor([[1, 2]]), tensor([[2, 4]]));
    expect(mse[0]).toBeCloseTo(2.5);
    const mae = await resultOf(metrics.getMetric('mae', losses.meanSquaredError), tensor([[1, 2]]), tensor([[2, 4]]));
    expect(mae[0]).toBeCloseTo(1.5);
  });

  it("'accuracy' resolves by the loss, as Keras does", async () => {
    const y1h = [[0, 1, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]];
    const cat = metrics.getMetric('accuracy', losses.categoricalCrossentropy);
    expect(cat.name).toBe('accuracy');
    expect(await resultOf(cat, tensor(y1h), tensor(pred))).toEqual([0.75]);
    const sparse = metrics.getMetric('acc', losses.sparseCategoricalCrossentropy);
    expect(sparse.name).toBe('acc');
    expect(await resultOf(sparse, tensor([1, 1, 2, 1], [4], 'int32'), tensor(pred))).toEqual([0.5]);
    expect(await resultOf(metrics.getMetric('accuracy', losses.binaryCrossentropy), tensor([[1], [0]]), tensor([[0.9], [0.9]]))).toEqual([0.5]);
    expect(await resultOf(metrics.getMetric('accuracy', losses.meanSquaredError), tensor([[1], [0]]), tensor([[0.9], [0.9]]))).toEqual([0.5]);
  });

  it('Keras string identifiers make fresh metrics named as given', () => {
    const made = ['precision', 'recall', 'auc', 'top_k_categorical_accuracy', 'sparse_top_k_categorical_accuracy', 'f1_score', 'root_mean_squared_error', 'mape', 'cosine_similarity'];
    const classes = made.map((id) => {
      const m = metrics.getMetric(id, losses.meanSquaredError);
      expect(m.name).toBe(id);
      m.dispose();
      return m.className;
    });
    expect(classes).toEqual(['Precision', 'Recall', 'AUC', 'TopKCategoricalAccuracy', 'SparseTopKCategoricalAccuracy', 'F1Score', 'RootMeanSquaredError', 'MeanAbsolutePercentageError', 'CosineSimilarity']);
    const a = metrics.getMetric('precision', losses.meanSquaredError);
    const b = metrics.getMetric('precision', losses.meanSquaredError);
    expect(a).not.toBe(b);
  });

  it('unknown names list the valid ones', () => {
    expect(() => metrics.getMetric('f1', losses.meanSquaredError)).toThrow(/Unknown metric "f1"; valid metrics are accuracy, acc, categorical_accuracy, .*precision, recall, auc, f1_score/);
  });

  it('bad options name the metric, the option and the valid choices', () => {
    expect(() => new metrics.AUC({ curve: 'roc' as 'ROC' })).toThrow("AUC: curve must be one of 'ROC', 'PR', got \"roc\"");
    expect(() => new metrics.AUC({ summationMethod: 'trapezoid' as 'minoring' })).toThrow("AUC: summationMethod must be one of 'interpolation', 'minoring', 'majoring', got \"trapezoid\"");
    expect(() => new metrics.AUC({ numThresholds: 1 })).toThrow('AUC: numThresholds must be an integer > 1, got 1');
    expect(() => new metrics.F1Score({ average: 'mean' as 'macro' })).toThrow("F1Score: average must be one of 'micro', 'macro', 'weighted', got \"mean\"");
    expect(() => new metrics.Precision({ thresholds: 1.5 })).toThrow('Precision: thresholds must be a number in [0, 1], got 1.5');
    expect(() => new metrics.TopKCategoricalAccuracy({ k: 0 })).toThrow('TopKCategoricalAccuracy: k must be a positive integer, got 0');
    expect(() => new metrics.MeanIoU({ numClasses: 2.5 })).toThrow('MeanIoU: numClasses must be a positive integer, got 2.5');
    expect(() => new metrics.AUC({ numThreshold: 50 } as never)).toThrow("AUC: unknown option 'numThreshold' — did you mean 'numThresholds'?");
    expect(() => new metrics.Precision({ top_k: 2 } as never)).toThrow("Precision: unknown option 'top_k' — did you mean 'topK'?");
    expect(() => new metrics.RootMeanSquaredError({ axis: -1 } as never)).toThrow("RootMeanSquaredError: unknown option 'axis' (valid: name)");
  });

  it('compile refuses per-class results and a metric object given twice, leaving the model uncompiled', () => {
    const model = new Sequential([new Dense({ units: 3, inputShape: [4] })]);
    expect(() => model.compile({ loss: 'mse', metrics: [new metrics.F1Score()] })).toThrow(/metric "f1_score" \(F1Score\) gives one value per class or threshold.*give F1Score\/FBetaScore an average \('micro', 'macro' or 'weighted'\)/);
    const shared = new metrics.AUC();
    expect(() => model.compile({ loss: 'mse', metrics: [shared], weightedMetrics: [shared] })).toThrow('compile: the metric object "auc" is given twice');
    expect(model.metricsNames).toEqual([]);
    shared.dispose();
  });
});
