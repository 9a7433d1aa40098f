import { add, argmax, cast, div, greater, matmul, mul, notEqual, oneHot, range, reshape, sub, sum, where, type Tensor, type Variable } from '@strata/core';
import { checkOptions, classIndex, positiveInteger } from './args.ts';
import { EPSILON, asFloat } from './functions.ts';
import { Metric, assignAdd, type MetricConfig } from './metric.ts';

export interface MeanIoUArgs {
  numClasses: number;
  /** A class left out of the confusion matrix (e.g. a "void" label). */
  ignoreClass?: number;
  /** Labels are class indices (default) rather than one-hot / scores (then the argmax is taken). */
  sparseYTrue?: boolean;
  /** Predictions are class indices (default) rather than scores (then the argmax is taken). */
  sparseYPred?: boolean;
  name?: string;
}

/**
 * Keras's `MeanIoU`: a weighted confusion matrix accumulated on the device; the result is the mean
 * over the classes present (in labels or predictions) of tp / (tp + fp + fn).
 */
export class MeanIoU extends Metric {
  readonly numClasses: number;
  readonly ignoreClass?: number;
  readonly sparseYTrue: boolean;
  readonly sparseYPred: boolean;
  private readonly matrix: Variable;

  constructor(args: MeanIoUArgs) {
    checkOptions('MeanIoU', args, ['numClasses', 'ignoreClass', 'sparseYTrue', 'sparseYPred', 'name']);
    super(args.name);
    this.numClasses = positiveInteger('MeanIoU', 'numClasses', args.numClasses);
    this.ignoreClass = args.ignoreClass === undefined ? undefined : classIndex('MeanIoU', 'ignoreClass', args.ignoreClass);
    this.sparseYTrue = args.sparseYTrue ?? true;
    this.sparseYPred = args.sparseYPred ?? true;
    this.matrix = this.addVariable([this.numClasses, this.numClasses]);
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const indices = (t: Tensor, sparse: boolean): Tensor => {
      const flat = reshape(sparse ? t : argmax(t, -1), [-1]);
      return flat.dtype === 'int32' ? flat : cast(flat, 'int32');
    };
    const labels = indices(yTrue, this.sparseYTrue);
    const preds = indices(yPred, this.sparseYPred);
    // Keras keeps MeanIoU's matrix as int32, so a weight counts truncated to an integer
    const whole = sampleWeight && asFloat(cast(reshape(sampleWeight, [-1]), 'int32'));
    let w = whole ? add(mul(asFloat(labels), 0), whole) : undefined;
    if (this.ignoreClass !== undefined) w = where(notEqual(labels, this.ignoreClass), w ?? 1, 0);
    const predicted = oneHot(preds, this.numClasses);
    // rows: labels, columns: predictions; out-of-range indices one-hot to zero rows and count nowhere
    assignAdd(this.matrix, matmul(oneHot(labels, this.numClasses), w ? mul(predicted, reshape(w, [-1, 1])) : predicted, true));
  }

  result(): Tensor {
    const tp = sum(mul(this.matrix, oneHot(range(0, this.numClasses, 1, 'int32'), this.numClasses)), 1);
    const denominator = sub(add(sum(this.matrix, 0), sum(this.matrix, 1)), tp);
    const valid = greater(denominator, 1e-9);
    const iou = where(valid, div(tp, add(denominator, EPSILON)), 0);
    return div(sum(iou), add(sum(asFloat(valid)), EPSILON));
  }

  override getConfig(): MetricConfig {
    return { ...super.getConfig(), dtype: 'int32', num_classes: this.numClasses, ignore_class: this.ignoreClass ?? null, sparse_y_true: this.sparseYTrue, sparse_y_pred: this.sparseYPred, axis: -1 };
  }
}
