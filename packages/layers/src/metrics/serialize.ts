import { toCamelCase } from '../identifiers.ts';
import { kerasObject, type KerasObject, type ParsedKerasObject } from '../io/keras-object.ts';
import { fromRegistered, registeredNameOf } from '../serialization.ts';
import { AUC } from './auc.ts';
import { F1Score, FBetaScore } from './f-score.ts';
import { metricIdentifier } from './get-metric.ts';
import * as mean from './mean-metric.ts';
import { MeanIoU } from './mean-iou.ts';
import { Metric } from './metric.ts';
import { Precision, Recall } from './precision-recall.ts';

type MetricClass = new (args: never) => Metric;

/** The built-in metric classes by Keras class name. */
const CLASSES: Record<string, MetricClass> = {
  Precision, Recall, AUC, F1Score, FBetaScore, MeanIoU,
  CategoricalAccuracy: mean.CategoricalAccuracy,
  SparseCategoricalAccuracy: mean.SparseCategoricalAccuracy,
  BinaryAccuracy: mean.BinaryAccuracy,
  TopKCategoricalAccuracy: mean.TopKCategoricalAccuracy,
  SparseTopKCategoricalAccuracy: mean.SparseTopKCategoricalAccuracy,
  MeanSquaredError: mean.MeanSquaredError,
  MeanAbsoluteError: mean.MeanAbsoluteError,
  MeanAbsolutePercentageError: mean.MeanAbsolutePercentageError,
  CosineSimilarity: mean.CosineSimilarity,
  RootMeanSquaredError: mean.RootMeanSquaredError,
};

/** Keras config keys Strata accepts only at their defaults (dropped once checked). */
const FIXED: Record<string, unknown> = { multi_label: false, num_labels: null, label_weights: null, axis: -1 };

/** A compiled metric in `compile_config`: the string it was made from, else Keras's object form. */
export function metricToKeras(metric: Metric): string | KerasObject {
  const identifier = metricIdentifier(metric);
  if (identifier) return identifier;
  const registered = registeredNameOf(metric);
  const serialized = kerasObject('keras.metrics', metric.className, metric.getConfig());
  return registered ? { ...serialized, registered_name: registered } : serialized;
}

/** A metric from its Keras object form: one the user registered with `registerSerializable`, or a built-in class. */
export function metricFromKeras(serialized: ParsedKerasObject, where: string): Metric {
  const custom = fromRegistered(serialized, (made): made is Metric => made instanceof Metric);
  if (custom) return custom;
  const cls = CLASSES[serialized.class_name];
  if (!cls) {
    throw new Error(`${where}: unknown metric class "${serialized.class_name}"; built-in metrics are ${Object.keys(CLASSES).join(', ')}, and a custom one must be registered with registerSerializable`);
  }
  const args: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(serialized.config)) {
    if (key === 'dtype') continue;
    if (key in FIXED) {
      if (JSON.stringify(value) !== JSON.stringify(FIXED[key])) throw new Error(`${where}: metric ${serialized.class_name}: ${key} ${JSON.stringify(value)} is not supported (only ${JSON.stringify(FIXED[key])})`);
      continue;
    }
    if (value !== null) args[toCamelCase(key)] = value;
  }
  return new (cls as unknown as new (a: Record<string, unknown>) => Metric)(args);
}
