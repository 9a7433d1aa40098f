import { argmax, cast, equal, expandDims, greater, mean, reshape, abs, square, sub, type Tensor } from '@strata/core';
import { lookup } from './identifiers.ts';
import type { Loss } from './losses.ts';

/** A metric gives one value per sample ([batch]); training reports its mean over the samples seen. */
export interface Metric {
  readonly name: string;
  perSample(yTrue: Tensor, yPred: Tensor): Tensor;
}

const asFloat = (t: Tensor): Tensor => (t.dtype === 'float32' ? t : cast(t, 'float32'));
const withPredRank = (yTrue: Tensor, yPred: Tensor): Tensor => (yTrue.rank === yPred.rank - 1 ? expandDims(yTrue, -1) : yTrue);

const categorical = (yTrue: Tensor, yPred: Tensor): Tensor => asFloat(equal(argmax(yTrue, -1), argmax(yPred, -1)));
const sparseCategorical = (yTrue: Tensor, yPred: Tensor): Tensor => {
  const labels = reshape(yTrue, [-1]);
  return asFloat(equal(labels.dtype === 'int32' ? labels : cast(labels, 'int32'), argmax(yPred, -1)));
};
const binary = (yTrue: Tensor, yPred: Tensor): Tensor => mean(asFloat(equal(asFloat(withPredRank(yTrue, yPred)), asFloat(greater(yPred, 0.5)))), -1);
const squaredError = (yTrue: Tensor, yPred: Tensor): Tensor => mean(square(sub(asFloat(withPredRank(yTrue, yPred)), yPred)), -1);
const absoluteError = (yTrue: Tensor, yPred: Tensor): Tensor => mean(abs(sub(asFloat(withPredRank(yTrue, yPred)), yPred)), -1);

export const categoricalAccuracy: Metric = { name: 'categorical_accuracy', perSample: categorical };
export const sparseCategoricalAccuracy: Metric = { name: 'sparse_categorical_accuracy', perSample: sparseCategorical };
/** Threshold 0.5, averaged over the last axis. */
export const binaryAccuracy: Metric = { name: 'binary_accuracy', perSample: binary };
export const meanSquaredError: Metric = { name: 'mean_squared_error', perSample: squaredError };
export const meanAbsoluteError: Metric = { name: 'mean_absolute_error', perSample: absoluteError };

const BY_NAME: Record<string, Metric> = {
  categorical_accuracy: categoricalAccuracy,
  sparse_categorical_accuracy: sparseCategoricalAccuracy,
  binary_accuracy: binaryAccuracy,
  mean_squared_error: meanSquaredError,
  mse: meanSquaredError,
  mean_absolute_error: meanAbsoluteError,
  mae: meanAbsoluteError,
};

/**
 * `accuracy`/`acc` resolved as Keras does from the loss: binary CE → binary, sparse CE → sparse
 * categorical, categorical CE → categorical; for other losses by the prediction's shape (a last axis of
 * 1 → binary, else categorical).
 */
function accuracyFor(loss: Loss): Metric['perSample'] {
  switch (loss.name) {
    case 'binary_crossentropy': return binary;
    case 'sparse_categorical_crossentropy': return sparseCategorical;
    case 'categorical_crossentropy': return categorical;
    default: return (yTrue, yPred) => (yPred.shape[yPred.rank - 1] === 1 ? binary : categorical)(yTrue, yPred);
  }
}

export type MetricIdentifier = string | Metric;

/** Resolve a metric; string metrics are logged under the name given (`'mae'` → `mae`, `val_mae`), as in Keras. */
export function getMetric(identifier: MetricIdentifier, loss: Loss): Metric {
  if (typeof identifier !== 'string') return identifier;
  if (identifier === 'accuracy' || identifier === 'acc') return { name: identifier, perSample: accuracyFor(loss) };
  return { name: identifier, perSample: lookup('metric', BY_NAME, identifier).perSample };
}
