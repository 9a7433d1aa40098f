import { add, reshape, type Tensor, type Variable } from '@strata/core';
import { checkOptions, classIndex, positiveInteger, threshold } from './args.ts';
import { confusionCounts } from './confusion.ts';
import { divideNoNan } from './functions.ts';
import { Metric, assignAdd, type MetricConfig } from './metric.ts';

export interface PrecisionRecallArgs {
  /** A threshold or a list of them (predictions above one count as positive); default 0.5. */
  thresholds?: number | number[];
  /** Count only the top k predictions of each row as positive. */
  topK?: number;
  /** Count only this class (index along the last axis). */
  classId?: number;
  name?: string;
}

/**
 * tp / (tp + other) per threshold, other being the false positives (Precision) or the false negatives
 * (Recall); a scalar for one threshold, a vector for several.
 */
abstract class ConfusionRatio extends Metric {
  private readonly given?: number | number[];
  readonly thresholds: number[];
  readonly topK?: number;
  readonly classId?: number;
  private readonly tp: Variable;
  private readonly other: Variable;

  constructor(args: PrecisionRecallArgs, private readonly otherCount: 'fp' | 'fn') {
    checkOptions(new.target.name, args, ['thresholds', 'topK', 'classId', 'name']);
    super(args.name);
    const where = this.className;
    this.given = args.thresholds;
    this.topK = args.topK === undefined ? undefined : positiveInteger(where, 'topK', args.topK);
    this.classId = args.classId === undefined ? undefined : classIndex(where, 'classId', args.classId);
    const list = args.thresholds === undefined ? [this.topK === undefined ? 0.5 : -1e10] : [args.thresholds].flat();
    if (!list.length) throw new Error(`${where}: thresholds must not be empty`);
    this.thresholds = args.thresholds === undefined ? list : list.map((t) => threshold(where, 'thresholds', t));
    this.tp = this.addVariable([this.thresholds.length]);
    this.other = this.addVariable([this.thresholds.length]);
  }

  override get scalarResult(): boolean {
    return this.thresholds.length === 1;
  }

  updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void {
    const counts = confusionCounts(yTrue, yPred, this.thresholds, sampleWeight, { topK: this.topK, classId: this.classId });
    assignAdd(this.tp, counts.tp);
    assignAdd(this.other, counts[this.otherCount]);
  }

  result(): Tensor {
    const ratio = divideNoNan(this.tp, add(this.tp, this.other));
    return this.thresholds.length === 1 ? reshape(ratio, []) : ratio;
  }

  override getConfig(): MetricConfig {
    return { ...super.getConfig(), thresholds: this.given ?? null, top_k: this.topK ?? null, class_id: this.classId ?? null };
  }
}

/** Of the predicted positives, the share that are positive: tp / (tp + fp). */
export class Precision extends ConfusionRatio {
  constructor(args: PrecisionRecallArgs = {}) {
    super(args, 'fp');
  }
}

/** Of the positives, the share predicted positive: tp / (tp + fn). */
export class Recall extends ConfusionRatio {
  constructor(args: PrecisionRecallArgs = {}) {
    super(args, 'fn');
  }
}
