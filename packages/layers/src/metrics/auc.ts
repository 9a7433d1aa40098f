import { add, greater, log, logicalAnd, maximum, minimum, mul, sigmoid, slice, sub, sum, where, type Tensor, type Variable } from '@strata/core';
import { checkOptions, choice, threshold } from './args.ts';
import { confusionCounts } from './confusion.ts';
import { EPSILON, divideNoNan } from './functions.ts';
import { Metric, assignAdd, type MetricConfig } from './metric.ts';

export const AUC_CURVES = ['ROC', 'PR'] as const;
export const AUC_SUMMATION_METHODS = ['interpolation', 'minoring', 'majoring'] as const;

export interface AUCArgs {
  /** Thresholds for the discretized curve (> 1; default 200), evenly spaced over (0, 1). */
  numThresholds?: number;
  /** `'ROC'` (default) or `'PR'` (precision–recall). */
  curve?: (typeof AUC_CURVES)[number];
  /** Riemann sum: `'interpolation'` (default; for PR, Davis & Goadrich's), `'minoring'`, `'majoring'`. */
  summationMethod?: (typeof AUC_SUMMATION_METHODS)[number];
  /** Thresholds in [0, 1] instead of `numThresholds` even ones (−ε and 1 + ε are added). */
  thresholds?: number[];
  /** Predictions are logits (a sigmoid is applied first). */
  fromLogits?: boolean;
  name?: string;
}

/**
 * Keras's `AUC` (not multi-label): the area under the ROC or PR curve, from true/false positive and
 * negative counts at fixed thresholds accumulated on the device.
 */
export class AUC extends Metric {
  readonly numThresholds: number;
  readonly curve: (typeof AUC_CURVES)[number];
  readonly summationMethod: (typeof AUC_SUMMATION_METHODS)[number];
  readonly fromLogits: boolean;
  /** Every threshold, −ε and 1 + ε included. */
  readonly thresholds: number[];
  private readonly given?: number[];
  private readonly tp: Variable;
  private readonly fp: Variable;
  private readonly tn: Variable;
  private readonly fn: Variable;

  constructor(args: AUCArgs = {}) {
    checkOptions('AUC', args, ['numThresholds', 'curve', 'summationMethod', 'thresholds', 'fromLogits', 'name']);
    super(args.name ?? 'auc');
    const where = 'AUC';
    this.curve = choice(where, 'curve', args.curve ?? 'ROC', AUC_CURVES);
    this.summationMethod = choice(where, 'summationMethod', args.summationMethod ?? 'interpolation', AUC_SUMMATION_METHODS);
    this.fromLogits = args.fromLogits ?? false;
    let inner: number[];
    if (args.thresholds !== undefined) {
      this.given = [...args.thresholds].map((t) => threshold(where, 'thresholds', t)).sort((a, b) => a - b);
      inner = this.given;
      this.numThresholds = inner.length + 2;
    } else {
      const n = args.numThresholds ?? 200;
      if (!Number.isInteger(n) || n <= 1) throw new Error(`AUC: numThresholds must be an integer > 1, got ${n}`);
      this.numThresholds = n;
      inner = Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1));
    }
    this.thresholds = [-EPSILON, ...inner, 1 + EPSILON];
    const shape = [this.numThresholds];
    [this.tp, this.fp, this.tn, this.fn] = [this.addVariable(shape), this.addVariable(shape), this.addVariable(shape), this.addVariable(shape)];
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const c = confusionCounts(yTrue, this.fromLogits ? sigmoid(yPred) : yPred, this.thresholds, sampleWeight);
    assignAdd(this.tp, c.tp);
    assignAdd(this.fp, c.fp);
    assignAdd(this.tn, c.tn);
    assignAdd(this.fn, c.fn);
  }

  result(): Tensor {
    if (this.curve === 'PR' && this.summationMethod === 'interpolation') return this.interpolatedPrAuc();
    const recall = divideNoNan(this.tp, add(this.tp, this.fn));
    const [x, y] = this.curve === 'ROC' ? [divideNoNan(this.fp, add(this.fp, this.tn)), recall] : [recall, divideNoNan(this.tp, add(this.tp, this.fp))];
    const [y0, y1] = [head(y), tail(y)];
    const heights = this.summationMethod === 'interpolation' ? mul(add(y0, y1), 0.5) : this.summationMethod === 'minoring' ? minimum(y0, y1) : maximum(y0, y1);
    return sum(mul(sub(head(x), tail(x)), heights));
  }

  /**
   * Davis & Goadrich's PR interpolation (Keras's closed form): within each interval between thresholds,
   * tp and p = tp + fp vary linearly, so precision = (intercept + slope·p) / p integrates to
   * slope·(Δtp + intercept·log(p_A / p_B)), over the positives' total weight.
   */
  private interpolatedPrAuc(): Tensor {
    const p = add(this.tp, this.fp);
    const dtp = sub(head(this.tp), tail(this.tp));
    const slope = divideNoNan(dtp, maximum(sub(head(p), tail(p)), 0));
    const intercept = sub(tail(this.tp), mul(slope, tail(p)));
    const bothPositive = logicalAnd(greater(head(p), 0), greater(tail(p), 0));
    const ratio = where(bothPositive, divideNoNan(head(p), maximum(tail(p), 0)), 1);
    const increments = divideNoNan(mul(slope, add(dtp, mul(intercept, log(ratio)))), maximum(add(tail(this.tp), tail(this.fn)), 0));
    return sum(increments);
  }

  override getConfig(): MetricConfig {
    return {
      ...super.getConfig(),
      num_thresholds: this.numThresholds,
      curve: this.curve,
      summation_method: this.summationMethod,
      multi_label: false,
      num_labels: null,
      label_weights: null,
      from_logits: this.fromLogits,
      ...(this.given ? { thresholds: this.given } : {}),
    };
  }
}

/** All but the last / all but the first entries of a vector. */
const head = (v: Tensor): Tensor => slice(v, [{ stop: -1 }]);
const tail = (v: Tensor): Tensor => slice(v, [{ start: 1 }]);
