import { add, keep, mul, valueAndGrad, type Tensor } from '@strata/core';
import { deferStateUpdates } from '../layers/state-updates.ts';
import { batchLoss } from '../losses.ts';
import type { TrainableModel } from '../graph/model-api.ts';
import type { Compiled } from './compile.ts';
import { reduceWeightedLoss, type SampleWeights } from './sample-weight.ts';
import type { StepGuard } from './step-guard.ts';

/**
 * Forward pass and the losses: one mean per output and their weighted sum. Where an output comes
 * straight from the activation its loss fuses with (softmax for categorical/sparse CE, sigmoid for
 * binary CE), the loss is computed from the logits; the predictions are still produced for the metrics.
 */
export function forwardWithLoss(model: TrainableModel, compiled: Compiled, xs: readonly Tensor[], ys: readonly Tensor[], training: boolean, sw?: SampleWeights): { loss: Tensor; outputLosses: Tensor[]; preds: Tensor[] } {
  const targets = compiled.outputs;
  const run = model.forward(xs, { training }, targets.map((t) => (t.loss.fromLogits ? t.loss.fusesWith : undefined)));
  const outputLosses = targets.map((t, i) => {
    const logits = run.logits[i];
    const values = logits && t.loss.fromLogits ? t.loss.fromLogits(ys[i], logits) : t.loss.perSample(ys[i], run.outputs[i]);
    return batchLoss(reduceWeightedLoss(values, sw?.[i]), values, t.loss);
  });
  const weighted = outputLosses.map((l, i) => (targets[i].weight === 1 ? l : mul(l, targets[i].weight)));
  const loss = weighted.slice(1).reduce((acc, l) => add(acc, l), weighted[0]);
  return { loss, outputLosses, preds: run.outputs };
}

/** Fold a batch into every output's metrics (the weighted ones with the sample weights). */
function updateMetrics(compiled: Compiled, ys: readonly Tensor[], preds: readonly Tensor[], sw?: SampleWeights): void {
  compiled.outputs.forEach((t, i) => {
    for (const m of t.metrics) m.updateState(ys[i], preds[i]);
    for (const m of t.weightedMetrics) m.updateState(ys[i], preds[i], sw?.[i]);
  });
}

/** [loss, per-output losses when there are several] scaled by the batch size, for `RunningMeans`. */
function lossSums(loss: Tensor, outputLosses: readonly Tensor[], size: number): Tensor[] {
  return [loss, ...(outputLosses.length > 1 ? outputLosses : [])].map((l) => mul(l, size));
}

/**
 * One optimizer step on a batch; updates the metrics and returns the loss sums `RunningMeans` folds in.
 * Call inside a `tidy`. The predictions and output losses are kept out of the gradient scope for the metrics.
 */
export function trainStep(model: TrainableModel, compiled: Compiled, xs: readonly Tensor[], ys: readonly Tensor[], guard?: StepGuard, sw?: SampleWeights): Tensor[] {
  const vars = model.trainableWeights;
  let kept: Tensor[] = [];
  let outputLosses: Tensor[] = [];
  let value: Tensor;
  try {
    // moving statistics (BatchNormalization) are updated after the gradients, off the tape; with a guard,
    // the optimizer and those updates leave everything as it was when the loss or a gradient is not finite
    ({ value } = deferStateUpdates(() => valueAndGrad(() => {
      const out = forwardWithLoss(model, compiled, xs, ys, true, sw);
      outputLosses = out.outputLosses.length > 1 ? out.outputLosses.map((l) => keep(l)) : [];
      kept = compiled.outputs.some((t) => t.metrics.length || t.weightedMetrics.length) ? out.preds.map((p) => keep(p)) : [];
      return out.loss;
    }, vars), (step) => {
      guard?.check(step.value, step.grads);
      compiled.optimizer.applyGradients(step.grads, vars);
    }));
  } finally {
    guard?.end();
  }
  if (kept.length) updateMetrics(compiled, ys, kept, sw);
  const sums = lossSums(value, outputLosses, xs[0].shape[0]);
  for (const t of [...kept, ...outputLosses]) t.dispose();
  return sums;
}

/** A batch in inference mode: updates the metrics, returns the loss sums. Call inside a `tidy`. */
export function testStep(model: TrainableModel, compiled: Compiled, xs: readonly Tensor[], ys: readonly Tensor[], sw?: SampleWeights): Tensor[] {
  const { loss, outputLosses, preds } = forwardWithLoss(model, compiled, xs, ys, false, sw);
  updateMetrics(compiled, ys, preds, sw);
  return lossSums(loss, outputLosses, xs[0].shape[0]);
}
