import type { Tensor } from '@strata/core';
import { lookup, toCamelCase } from './identifiers.ts';
import * as fn from './losses/functions.ts';
import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, binaryCrossentropy, categoricalCrossentropy, sparseCategoricalCrossentropy } from './losses/crossentropy.ts';
import { BinaryFocalCrossentropy, CategoricalFocalCrossentropy, CategoricalHinge, CosineSimilarity, Hinge, Huber, KLDivergence, LogCosh, MeanAbsoluteError, MeanSquaredError, MeanSquaredLogarithmicError, Poisson, SquaredHinge } from './losses/classes.ts';
import { LossFunctionWrapper, type Loss } from './losses/loss.ts';
import { fromRegistered } from './serialization.ts';

export { EPSILON, REDUCTIONS, LossFunctionWrapper, reduceLoss, batchLoss, type Loss, type LossConfig, type Reduction, type LossBaseOptions } from './losses/loss.ts';
export { categoricalCrossentropy, sparseCategoricalCrossentropy, binaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy, BinaryCrossentropy };
export { MeanSquaredError, MeanAbsoluteError, MeanSquaredLogarithmicError, Huber, LogCosh, Poisson, KLDivergence, CosineSimilarity, Hinge, SquaredHinge, CategoricalHinge, BinaryFocalCrossentropy, CategoricalFocalCrossentropy };
export type { CategoricalCrossentropyOptions, SparseCategoricalCrossentropyOptions, BinaryCrossentropyOptions } from './losses/crossentropy.ts';

/** A loss given by its Keras function name: saved in `compile_config` as that name. */
const named = (name: string, labels: Loss['labels'], perSample: (yTrue: Tensor, yPred: Tensor) => Tensor): Loss => ({ name, labels, perSample });

export const meanSquaredError = named('mean_squared_error', 'dense', fn.meanSquaredError);
export const meanAbsoluteError = named('mean_absolute_error', 'dense', fn.meanAbsoluteError);
export const meanSquaredLogarithmicError = named('mean_squared_logarithmic_error', 'dense', fn.meanSquaredLogarithmicError);
export const huber = named('huber', 'dense', (y, p) => fn.huber(y, p));
export const logCosh = named('log_cosh', 'dense', fn.logCosh);
export const poisson = named('poisson', 'dense', fn.poisson);
export const klDivergence = named('kl_divergence', 'dense', fn.klDivergence);
export const cosineSimilarity = named('cosine_similarity', 'dense', fn.cosineSimilarity);
export const hinge = named('hinge', 'dense', fn.hinge);
export const squaredHinge = named('squared_hinge', 'dense', fn.squaredHinge);
export const categoricalHinge = named('categorical_hinge', 'oneHot', fn.categoricalHinge);
export const binaryFocalCrossentropy = named('binary_focal_crossentropy', 'dense', (y, p) => fn.binaryFocalCrossentropy(y, p, { applyClassBalancing: false, alpha: 0.25, gamma: 2, fromLogits: false, labelSmoothing: 0 }));
export const categoricalFocalCrossentropy = named('categorical_focal_crossentropy', 'oneHot', (y, p) => fn.categoricalFocalCrossentropy(y, p, { alpha: 0.25, gamma: 2, fromLogits: false, labelSmoothing: 0 }));

/** Keras's string identifiers (and its short aliases), matched after camelCase → snake_case. */
const BY_NAME: Record<string, Loss> = {
  categorical_crossentropy: categoricalCrossentropy,
  sparse_categorical_crossentropy: sparseCategoricalCrossentropy,
  binary_crossentropy: binaryCrossentropy,
  mean_squared_error: meanSquaredError,
  mse: meanSquaredError,
  mean_absolute_error: meanAbsoluteError,
  mae: meanAbsoluteError,
  mean_squared_logarithmic_error: meanSquaredLogarithmicError,
  msle: meanSquaredLogarithmicError,
  huber,
  log_cosh: logCosh,
  logcosh: logCosh,
  poisson,
  kl_divergence: klDivergence,
  kld: klDivergence,
  cosine_similarity: cosineSimilarity,
  hinge,
  squared_hinge: squaredHinge,
  categorical_hinge: categoricalHinge,
  binary_focal_crossentropy: binaryFocalCrossentropy,
  categorical_focal_crossentropy: categoricalFocalCrossentropy,
};

type LossClass = new (options: Record<string, unknown>) => LossFunctionWrapper;

/** Keras's loss classes by class name, for `deserialize`. */
const CLASSES: Readonly<Record<string, LossClass>> = {
  CategoricalCrossentropy, SparseCategoricalCrossentropy, BinaryCrossentropy, MeanSquaredError, MeanAbsoluteError, MeanSquaredLogarithmicError,
  Huber, LogCosh, Poisson, KLDivergence, CosineSimilarity, Hinge, SquaredHinge, CategoricalHinge, BinaryFocalCrossentropy, CategoricalFocalCrossentropy,
} as Record<string, LossClass>;

export type LossIdentifier = string | Loss;

export function getLoss(identifier: LossIdentifier): Loss {
  return typeof identifier === 'string' ? lookup('loss', BY_NAME, identifier) : identifier;
}

/** Keras's `losses.deserialize` of a loss object (`{class_name, config}` as in `compile_config`). */
export function deserialize(serialized: { class_name: string; registered_name?: string | null; config?: Record<string, unknown> }): LossFunctionWrapper {
  const custom = fromRegistered(serialized, (made): made is LossFunctionWrapper => made instanceof LossFunctionWrapper);
  if (custom) return custom;
  const make = CLASSES[serialized.class_name];
  if (!make) throw new Error(`Unknown loss class ${JSON.stringify(serialized.class_name)}; valid loss classes are ${Object.keys(CLASSES).join(', ')}`);
  return new make(Object.fromEntries(Object.entries(serialized.config ?? {}).map(([k, v]) => [toCamelCase(k), v])));
}
