import { cast, clipByValue, div, equal, expandDims, mean, mul, reshape, sum, where, type Tensor } from '@strata/core';
import { z } from 'zod';
import { parseOptions } from '../training/options.ts';
import { classNameFromClass } from '../serialization.ts';

/** Keras's fuzz factor for probabilities: clipped into [EPSILON, 1 - EPSILON] before the log. */
export const EPSILON = 1e-7;

/** Keras's loss reductions: how the per-sample values become one number (`none` keeps them). */
export const REDUCTIONS = ['sum_over_batch_size', 'sum', 'mean', 'mean_with_sample_weight', 'none'] as const;
export type Reduction = (typeof REDUCTIONS)[number];

/** A loss object's `get_config()` entries (snake_case, as Keras writes them). */
export type LossConfig = Record<string, string | number | boolean | null>;

/**
 * A loss gives one value per sample ([batch], or [batch, …] for outputs of higher rank); `reduction`
 * (Keras's, default "sum_over_batch_size": the mean of every value) makes the model's loss of them. When
 * the model's last activation is `fusesWith`, the model hands the loss the pre-activation instead and
 * `fromLogits` is used: log-softmax / log-sum-exp, finite for any logits.
 */
export interface Loss {
  readonly name: string;
  /** What `y` must look like; checked before training starts. */
  readonly labels: 'oneHot' | 'sparse' | 'dense';
  perSample(yTrue: Tensor, yPred: Tensor): Tensor;
  readonly fusesWith?: 'softmax' | 'sigmoid';
  fromLogits?(yTrue: Tensor, logits: Tensor): Tensor;
  readonly reduction?: Reduction;
  /** Keras's class name: a loss object is saved in `compile_config` as `{class_name, config}`; without one, by `name`. */
  readonly className?: string;
  getConfig?(): LossConfig;
}

/**
 * Keras's `reduce_weighted_values`: the values times the sample weights (when given, rank-aligned), then
 * the reduction: `none` keeps them, `sum` adds them, the means divide by their count, except
 * `mean_with_sample_weight` with weights, which divides by the weights' sum (0 when that is 0).
 */
export function reduceLoss(values: Tensor, reduction: Reduction = 'sum_over_batch_size', sampleWeight?: Tensor): Tensor {
  const w = sampleWeight && alignedWeights(sampleWeight, values);
  const weighted = w ? mul(values, w) : values;
  if (reduction === 'none') return weighted;
  if (reduction === 'sum') return sum(weighted);
  if (reduction !== 'mean_with_sample_weight' || !w) return mean(weighted);
  const total = sum(w);
  const empty = equal(total, 0);
  return where(empty, 0, div(sum(weighted), where(empty, 1, total)));
}

/** Sample weights as float32 with the values' rank: a trailing 1 dropped, or trailing axes added (Keras's `squeeze_or_expand_to_same_rank`). */
function alignedWeights(sampleWeight: Tensor, values: Tensor): Tensor {
  let w = sampleWeight.dtype === 'float32' ? sampleWeight : cast(sampleWeight, 'float32');
  if (w.rank === values.rank + 1 && w.shape[w.rank - 1] === 1) w = reshape(w, w.shape.slice(0, -1));
  while (w.rank < values.rank) w = expandDims(w, -1);
  return w;
}

/**
 * A batch's loss for training and evaluation from its mean (sample-weighted or not) over the `values`:
 * times their count for 'sum'; the means are the mean. 'none' leaves no single number to minimise.
 */
export function batchLoss(batchMean: Tensor, values: Tensor, loss: Loss): Tensor {
  const reduction = loss.reduction ?? 'sum_over_batch_size';
  if (reduction === 'none') {
    throw new Error(`${loss.className ?? loss.name}: reduction 'none' gives one loss per sample, but fit and evaluate need one number per batch; use 'sum_over_batch_size' (the default), 'mean' or 'sum'`);
  }
  return reduction === 'sum' ? mul(batchMean, values.size) : batchMean;
}

/** y as float32 with yPred's rank (a [batch] target next to a [batch, 1] prediction gets an axis). */
export function alignTarget(yTrue: Tensor, yPred: Tensor): Tensor {
  const y = yTrue.dtype === 'float32' ? yTrue : cast(yTrue, 'float32');
  return y.rank === yPred.rank - 1 ? expandDims(y, -1) : y;
}

export const clipProbabilities = (p: Tensor): Tensor => clipByValue(p, EPSILON, 1 - EPSILON);

/** The options every loss class takes: Keras's `reduction` and `name`. */
export const lossOptions = (name: string) =>
  z.strictObject({
    reduction: z.enum(REDUCTIONS).default('sum_over_batch_size'),
    name: z.string().min(1).default(name),
  });

type BaseOptions = z.output<ReturnType<typeof lossOptions>>;
export type LossBaseOptions = z.input<ReturnType<typeof lossOptions>>;

/** Keras's `axis` option of some losses: only the last axis (-1) is supported. */
export const lastAxis = z.literal(-1, { error: 'only axis -1 is supported' }).default(-1);

/**
 * Keras's `LossFunctionWrapper`: a loss class around a per-sample function, with a reduction and a name.
 * Subclasses parse their options with `lossOptions(…).extend(…)` and pass the per-sample function.
 */
export abstract class LossFunctionWrapper implements Loss {
  /** The Keras class name in saved configs: the JavaScript class's name unless a subclass says otherwise. */
  declare readonly className: string;
  abstract readonly labels: 'oneHot' | 'sparse' | 'dense';
  readonly name: string;
  readonly reduction: Reduction;

  protected constructor(options: BaseOptions) {
    this.name = options.name;
    this.reduction = options.reduction;
  }

  abstract perSample(yTrue: Tensor, yPred: Tensor): Tensor;

  /** Keras's `loss(y_true, y_pred, sample_weight)`: the per-sample values, weighted and reduced. */
  call(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): Tensor {
    return reduceLoss(this.perSample(yTrue, yPred), this.reduction, sampleWeight);
  }

  /** This loss's own `get_config` entries besides `name` and `reduction`. */
  protected ownConfig(): LossConfig {
    return {};
  }

  getConfig(): LossConfig {
    return { name: this.name, reduction: this.reduction, ...this.ownConfig() };
  }
}

/** Parse a loss class's options, naming the class in errors. */
export const parseLossOptions = <S extends z.ZodType>(schema: S, options: unknown, className: string): z.output<S> => parseOptions(schema, options, className);

classNameFromClass(LossFunctionWrapper);
