import { add, argmax, div, equal, expandDims, greater, greaterEqual, abs, logicalAnd, max, mean, mul, notEqual, sub, sum, type Tensor, type Variable } from '@strata/core';
import { checkOptions, choice } from './args.ts';
import { EPSILON, asFloat } from './functions.ts';
import { Metric, assignAdd, type MetricConfig } from './metric.ts';

export const F_SCORE_AVERAGES = ['micro', 'macro', 'weighted'] as const;
export type FScoreAverage = (typeof F_SCORE_AVERAGES)[number];

export interface FBetaScoreArgs {
  /** `undefined` (Keras's None): one score per class; `'micro'`, `'macro'` or `'weighted'`: one number. */
  average?: FScoreAverage;
  /** Weight of recall against precision (default 1). */
  beta?: number;
  /** Predictions above it are positive; by default each row's largest prediction is. */
  threshold?: number;
  name?: string;
}

/**
 * Keras's `FBetaScore` on `[batch, classes]` labels and predictions: (1 + β²)·P·R / (β²·P + R) from
 * true/false positive and false negative counts per class (summed over classes for `'micro'`).
 */
export class FBetaScore extends Metric {
  readonly average?: FScoreAverage;
  readonly beta: number;
  readonly threshold?: number;
  private counts?: { tp: Variable; fp: Variable; fn: Variable; positives: Variable };

  constructor(args: FBetaScoreArgs = {}, defaultName = 'fbeta_score') {
    checkOptions(new.target.name, args, ['average', 'beta', 'threshold', 'name']);
    super(args.name ?? defaultName);
    const where = this.className;
    this.average = args.average === undefined ? undefined : choice(where, 'average', args.average, F_SCORE_AVERAGES);
    this.beta = args.beta ?? 1;
    if (typeof this.beta !== 'number' || !(this.beta > 0)) throw new Error(`${where}: beta must be a number > 0, got ${JSON.stringify(args.beta)}`);
    if (args.threshold !== undefined && (typeof args.threshold !== 'number' || !(args.threshold > 0 && args.threshold <= 1))) {
      throw new Error(`${where}: threshold must be a number in (0, 1], got ${JSON.stringify(args.threshold)}`);
    }
    this.threshold = args.threshold;
  }

  /** One number unless `average` is undefined (then one per class). */
  override get scalarResult(): boolean {
    return this.average !== undefined;
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    if (yTrue.rank !== 2 || yPred.rank !== 2) throw new Error(`${this.className}: expects labels and predictions of shape [batch, classes], got ${JSON.stringify(yTrue.shape)} and ${JSON.stringify(yPred.shape)}`);
    const shape = this.average === 'micro' ? [] : [yPred.shape[1]];
    this.counts ??= { tp: this.addVariable(shape), fp: this.addVariable(shape), fn: this.addVariable(shape), positives: this.addVariable(shape) };
    const positive = this.threshold === undefined
      ? logicalAnd(greaterEqual(yPred, max(yPred, -1, true)), greater(abs(yPred), 1e-9))
      : greater(yPred, this.threshold);
    const p = asFloat(positive);
    const y = asFloat(yTrue);
    const w = sampleWeight && expandDims(asFloat(sampleWeight.rank === 2 ? mean(sampleWeight, -1) : sampleWeight), 1);
    const total = (t: Tensor): Tensor => {
      const weighted = w ? mul(t, w) : t;
      return this.average === 'micro' ? sum(weighted) : sum(weighted, 0);
    };
    assignAdd(this.counts.tp, total(mul(p, y)));
    assignAdd(this.counts.fp, total(mul(p, sub(1, y))));
    assignAdd(this.counts.fn, total(mul(sub(1, p), y)));
    assignAdd(this.counts.positives, total(y));
  }

  result(): Tensor {
    if (!this.counts) throw new Error(`${this.className} "${this.name}": result() before the first updateState (the number of classes is not known yet)`);
    const { tp, fp, fn, positives } = this.counts;
    const precision = div(tp, add(add(tp, fp), EPSILON));
    const recall = div(tp, add(add(tp, fn), EPSILON));
    const b2 = this.beta ** 2;
    const score = mul(div(mul(precision, recall), add(add(mul(precision, b2), recall), EPSILON)), 1 + b2);
    if (this.average === 'weighted') return sum(mul(score, div(positives, add(sum(positives), EPSILON))));
    return this.average === undefined ? score : mean(score);
  }

  override getConfig(): MetricConfig {
    return { ...super.getConfig(), beta: this.beta, average: this.average ?? null, threshold: this.threshold ?? null };
  }
}

/** FBetaScore with β = 1: the harmonic mean of precision and recall. */
export class F1Score extends FBetaScore {
  constructor(args: Omit<FBetaScoreArgs, 'beta'> = {}) {
    super({ ...args, beta: 1 }, 'f1_score');
  }

  override getConfig(): MetricConfig {
    const { beta: _beta, ...config } = super.getConfig();
    return config;
  }
}
