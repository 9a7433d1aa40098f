import { add, keep, mean, mul, sum, valueAndGrad, type Tensor } from '@strata/core';
import { deferStateUpdates } from '../layers/state-updates.ts';
import type { Metric } from '../metrics.ts';
import type { TrainableModel } from '../graph/model-api.ts';
import type { Compiled } from './compile.ts';
import type { StepGuard } from './step-guard.ts';

/**
 * Forward pass and the losses: one mean per output and their weighted sum. Where an output comes
 * straight from the activation its loss fuses with (softmax for categorical/sparse CE, sigmoid for
 * binary CE), the loss is computed from the logits; the predictions are still produced for the metrics.
 */
export function forwardWithLoss(model: TrainableModel, compiled: Compiled, xs: readonly Tensor[], ys: readonly Tensor[], training: boolean): { loss: Tensor; outputLosses: Tensor[]; preds: Tensor[] } {
  const targets = compiled.outputs;
  const run = model.forward(xs, { training }, targets.map((t) => (t.loss.fromLogits ? t.loss.fusesWith : undefined)));
  const outputLosses = targets.map((t, i) => {
    const logits = run.logits[i];
    return mean(logits && t.loss.fromLogits ? t.loss.fromLogits(ys[i], logits) : t.loss.perSample(ys[i], run.outputs[i]));
  });
  const weighted = outputLosses.map((l, i) => (targets[i].weight === 1 ? l : mul(l, targets[i].weight)));
  const loss = weighted.slice(1).reduce((acc, l) => add(acc, l), weighted[0]);
  return { loss, outputLosses, preds: run.outputs };
}

/** Per-batch sums of each output's metrics' per-sample values, in `metricNames` order. */
function metricSums(compiled: Compiled, ys: readonly Tensor[], preds: readonly Tensor[]): Tensor[] {
  return compiled.outputs.flatMap((t, i) => t.metrics.map((m: Metric) => sum(m.perSample(ys[i], preds[i]))));
}

/** [loss, per-output losses when there are several] scaled by the batch size, for `RunningMeans`. */
function lossSums(loss: Tensor, outputLosses: readonly Tensor[], size: number): Tensor[] {
  return [loss, ...(outputLosses.length > 1 ? outputLosses : [])].map((l) => mul(l, size));
}

/**
 * One optimizer step on a batch; returns the sums `RunningMeans` folds in (`metricNames` order). Call
 * inside a `tidy`. The predictions and output losses are kept out of the gradient scope for the metrics.
 */
export function trainStep(model: TrainableModel, compiled: Compiled, xs: readonly Tensor[], ys: readonly Tensor[], guard?: StepGuard): Tensor[] {
  const vars = model.trainableWeights;
  let kept: Tensor[] = [];
  let outputLosses: Tensor[] = [];
  let value: Tensor;
  try {
    // moving statistics (BatchNormalization) are updated after the gradients, off the tape; with a guard,
    // the optimizer and those updates leave everything as it was when the loss or a gradient is not finite
    ({ value } = deferStateUpdates(() => valueAndGrad(() => {
      const out = forwardWithLoss(model, compiled, xs, ys, true);
      outputLosses = out.outputLosses.length > 1 ? out.outputLosses.map((l) => keep(l)) : [];
      kept = compiled.outputs.some((t) => t.metrics.length) ? out.preds.map((p) => keep(p)) : [];
      return out.loss;
    }, vars), (step) => {
      guard?.check(step.value, step.grads);
      compiled.optimizer.applyGradients(step.grads, vars);
    }));
  } finally {
    guard?.end();
  }
  const sums = [...lossSums(value, outputLosses, xs[0].shape[0]), ...(kept.length ? metricSums(compiled, ys, kept) : [])];
  for (const t of [...kept, ...outputLosses]) t.dispose();
  return sums;
}

/** Loss and metric sums of a batch in inference mode. Call inside a `tidy`. */
export function testStep(model: TrainableModel, compiled: Compiled, xs: readonly Tensor[], ys: readonly Tensor[]): Tensor[] {
  const { loss, outputLosses, preds } = forwardWithLoss(model, compiled, xs, ys, false);
  return [...lossSums(loss, outputLosses, xs[0].shape[0]), ...metricSums(compiled, ys, preds)];
}
