import { lookup } from '../identifiers.ts';
import { AUC } from './auc.ts';
import { F1Score } from './f-score.ts';
import * as fn from './functions.ts';
import {
  BinaryAccuracy, CategoricalAccuracy, CosineSimilarity, MeanAbsoluteError, MeanAbsolutePercentageError, MeanMetricWrapper, MeanSquaredError,
  RootMeanSquaredError, SparseCategoricalAccuracy, SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy,
} from './mean-metric.ts';
import type { Metric } from './metric.ts';

/** What `accuracy` depends on: the output's loss, by its Keras name. */
interface Loss {
  readonly name: string;
}
import { Precision, Recall } from './precision-recall.ts';

/** A metric as `compile` takes it: a Keras string identifier or a `Metric` instance. */
export type MetricIdentifier = string | Metric;

/**
 * `accuracy`/`acc` resolved as Keras does from the loss: binary CE → binary, sparse CE → sparse
 * categorical, categorical CE → categorical; for other losses by the prediction's shape (a last axis of
 * 1 → binary, else categorical).
 */
function accuracyFor(loss: Loss): fn.MetricFn {
  switch (loss.name) {
    case 'binary_crossentropy': return fn.binaryAccuracy();
    case 'sparse_categorical_crossentropy': return fn.sparseCategoricalAccuracy;
    case 'categorical_crossentropy': return fn.categoricalAccuracy;
    default: return (yTrue, yPred) => (yPred.shape[yPred.rank - 1] === 1 ? fn.binaryAccuracy() : fn.categoricalAccuracy)(yTrue, yPred);
  }
}

/** Keras's string identifiers (class names in snake_case and the function aliases), each making a fresh metric named as given. */
const BY_NAME: Record<string, (name: string, loss: Loss) => Metric> = {
  accuracy: (name, loss) => new MeanMetricWrapper(accuracyFor(loss), name),
  acc: (name, loss) => new MeanMetricWrapper(accuracyFor(loss), name),
  categorical_accuracy: (name) => new CategoricalAccuracy({ name }),
  sparse_categorical_accuracy: (name) => new SparseCategoricalAccuracy({ name }),
  binary_accuracy: (name) => new BinaryAccuracy({ name }),
  top_k_categorical_accuracy: (name) => new TopKCategoricalAccuracy({ name }),
  sparse_top_k_categorical_accuracy: (name) => new SparseTopKCategoricalAccuracy({ name }),
  mean_squared_error: (name) => new MeanSquaredError({ name }),
  mse: (name) => new MeanSquaredError({ name }),
  mean_absolute_error: (name) => new MeanAbsoluteError({ name }),
  mae: (name) => new MeanAbsoluteError({ name }),
  mean_absolute_percentage_error: (name) => new MeanAbsolutePercentageError({ name }),
  mape: (name) => new MeanAbsolutePercentageError({ name }),
  root_mean_squared_error: (name) => new RootMeanSquaredError({ name }),
  cosine_similarity: (name) => new CosineSimilarity({ name }),
  precision: (name) => new Precision({ name }),
  recall: (name) => new Recall({ name }),
  auc: (name) => new AUC({ name }),
  f1_score: (name) => new F1Score({ name }),
};

/** The valid string identifiers (for error messages and docs). */
export const METRIC_NAMES = Object.keys(BY_NAME);

/** The string each metric made from one was made from (a saved `compile_config` names it so again). */
const identifiers = new WeakMap<Metric, string>();

/** Resolve a metric; a string makes a new metric logged under the name given (`'mae'` → `mae`, `val_mae`), as in Keras. */
export function getMetric(identifier: MetricIdentifier, loss: Loss): Metric {
  if (typeof identifier !== 'string') return identifier;
  const metric = lookup('metric', BY_NAME, identifier)(identifier, loss);
  identifiers.set(metric, identifier);
  return metric;
}

/** The string identifier a metric was made from by `getMetric`, if it was. */
export function metricIdentifier(metric: Metric): string | undefined {
  return identifiers.get(metric);
}
