export { Metric, type MetricConfig } from './metric.ts';
export {
  MeanMetricWrapper, CategoricalAccuracy, SparseCategoricalAccuracy, BinaryAccuracy, TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy,
  MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError, CosineSimilarity, RootMeanSquaredError,
} from './mean-metric.ts';
export { Precision, Recall, type PrecisionRecallArgs } from './precision-recall.ts';
export { AUC, AUC_CURVES, AUC_SUMMATION_METHODS, type AUCArgs } from './auc.ts';
export { FBetaScore, F1Score, F_SCORE_AVERAGES, type FBetaScoreArgs, type FScoreAverage } from './f-score.ts';
export { MeanIoU, type MeanIoUArgs } from './mean-iou.ts';
export { getMetric, metricIdentifier, METRIC_NAMES, type MetricIdentifier } from './get-metric.ts';
export {
  categoricalAccuracy, sparseCategoricalAccuracy, binaryAccuracy, topKCategoricalAccuracy, sparseTopKCategoricalAccuracy,
  meanSquaredError, meanAbsoluteError, meanAbsolutePercentageError, cosineSimilarity, type MetricFn,
} from './functions.ts';
