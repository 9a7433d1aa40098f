import { add, mean, mul, scalar, sqrt, squeeze, sum, zerosLike, type Tensor } from '@strata/core';
import { asFloat, divideNoNan, type MetricFn } from './functions.ts';
import * as fn from './functions.ts';
import { checkOptions, positiveInteger, threshold as checkThreshold } from './args.ts';
import { Metric, assignAdd, type MetricConfig } from './metric.ts';

/** Mean over every axis after the first (a `[batch]` tensor is returned as it is). */
export const perSampleMean = (t: Tensor): Tensor => (t.rank > 1 ? mean(t, Array.from({ length: t.rank - 1 }, (_, i) => i + 1)) : t);

/**
 * Keras's `reduce_to_samplewise_values`: one value per sample (the mean over the other axes); with a
 * weight (`[batch]`, or broadcastable to `values`), the values weighted and each sample's mean weight.
 */
export function samplewise(values: Tensor, sampleWeight?: Tensor): { values: Tensor; weights?: Tensor } {
  let v = asFloat(values);
  if (!sampleWeight) return { values: perSampleMean(v) };
  let w = asFloat(sampleWeight);
  if (w.rank === v.rank + 1 && w.shape[w.rank - 1] === 1) w = squeeze(w, [-1]);
  if (v.rank === w.rank + 1 && v.shape[v.rank - 1] === 1) v = squeeze(v, [-1]);
  if (v.rank > w.rank) v = mean(v, Array.from({ length: v.rank - w.rank }, (_, i) => i + w.rank));
  const broadcastWeights = add(zerosLike(v), w);
  return { values: perSampleMean(mul(v, w)), weights: perSampleMean(broadcastWeights) };
}

/**
 * Keras's `MeanMetricWrapper`: the (weighted) mean over the samples seen of a metric function's
 * per-sample values. The metric classes below are this with Keras's functions, names and options.
 */
export class MeanMetricWrapper extends Metric {
  private readonly total = this.addVariable([]);
  private readonly count = this.addVariable([]);

  constructor(private readonly fn: MetricFn, name?: string) {
    super(name);
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const s = samplewise(this.fn(yTrue, yPred), sampleWeight);
    assignAdd(this.total, sum(s.values));
    assignAdd(this.count, s.weights ? sum(s.weights) : scalar(s.values.shape[0] ?? 1));
  }

  /** total / count; 0 before any sample. */
  result(): Tensor {
    return divideNoNan(this.total, this.count);
  }
}

interface NameArgs {
  name?: string;
}

export class CategoricalAccuracy extends MeanMetricWrapper {
  constructor(args: NameArgs = {}) {
    super(fn.categoricalAccuracy, checkOptions(new.target.name, args, ['name']).name ?? 'categorical_accuracy');
  }
}

export class SparseCategoricalAccuracy extends MeanMetricWrapper {
  constructor(args: NameArgs = {}) {
    super(fn.sparseCategoricalAccuracy, checkOptions(new.target.name, args, ['name']).name ?? 'sparse_categorical_accuracy');
  }
}

/** Predictions above `threshold` (default 0.5) count as 1. */
export class BinaryAccuracy extends MeanMetricWrapper {
  readonly threshold: number;
  constructor(args: NameArgs & { threshold?: number } = {}) {
    const threshold = checkThreshold('BinaryAccuracy', 'threshold', checkOptions('BinaryAccuracy', args, ['threshold', 'name']).threshold ?? 0.5);
    super(fn.binaryAccuracy(threshold), args.name ?? 'binary_accuracy');
    this.threshold = threshold;
  }
  override getConfig(): MetricConfig {
    return { ...super.getConfig(), threshold: this.threshold };
  }
}

/** Whether the label is among the k (default 5) highest predictions. */
abstract class TopKAccuracy extends MeanMetricWrapper {
  readonly k: number;
  constructor(makeFn: (k: number) => MetricFn, defaultName: string, args: NameArgs & { k?: number }) {
    const k = positiveInteger(new.target.name, 'k', checkOptions(new.target.name, args, ['k', 'name']).k ?? 5);
    super(makeFn(k), args.name ?? defaultName);
    this.k = k;
  }
  override getConfig(): MetricConfig {
    return { ...super.getConfig(), k: this.k };
  }
}

/** Top-k accuracy for one-hot labels. */
export class TopKCategoricalAccuracy extends TopKAccuracy {
  constructor(args: NameArgs & { k?: number } = {}) {
    super(fn.topKCategoricalAccuracy, 'top_k_categorical_accuracy', args);
  }
}

/** Top-k accuracy for integer class labels. */
export class SparseTopKCategoricalAccuracy extends TopKAccuracy {
  constructor(args: NameArgs & { k?: number } = {}) {
    super(fn.sparseTopKCategoricalAccuracy, 'sparse_top_k_categorical_accuracy', args);
  }
}

export class MeanSquaredError extends MeanMetricWrapper {
  constructor(args: NameArgs = {}) {
    super(fn.meanSquaredError, checkOptions(new.target.name, args, ['name']).name ?? 'mean_squared_error');
  }
}

export class MeanAbsoluteError extends MeanMetricWrapper {
  constructor(args: NameArgs = {}) {
    super(fn.meanAbsoluteError, checkOptions(new.target.name, args, ['name']).name ?? 'mean_absolute_error');
  }
}

export class MeanAbsolutePercentageError extends MeanMetricWrapper {
  constructor(args: NameArgs = {}) {
    super(fn.meanAbsolutePercentageError, checkOptions(new.target.name, args, ['name']).name ?? 'mean_absolute_percentage_error');
  }
}

/** The mean cosine of the angle between label and prediction (along the last axis). */
export class CosineSimilarity extends MeanMetricWrapper {
  constructor(args: NameArgs = {}) {
    super(fn.cosineSimilarity, checkOptions(new.target.name, args, ['name']).name ?? 'cosine_similarity');
  }
}

/** sqrt of the mean squared error over the samples seen (not the mean of per-batch roots). */
export class RootMeanSquaredError extends MeanMetricWrapper {
  constructor(args: NameArgs = {}) {
    super(fn.meanSquaredError, checkOptions(new.target.name, args, ['name']).name ?? 'root_mean_squared_error');
  }
  override result(): Tensor {
    return sqrt(super.result());
  }
}
