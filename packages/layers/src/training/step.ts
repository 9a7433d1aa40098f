import { keep, mean, mul, sum, valueAndGrad, type Tensor } from '@strata/core';
import { activate } from '../activations.ts';
import type { Loss } from '../losses.ts';
import type { Metric } from '../metrics.ts';
import type { Optimizer } from '../optimizers/index.ts';
import type { Sequential } from '../models/sequential.ts';

/** What `compile` fixed: the optimizer, the loss and the metrics (in the order given). */
export interface Compiled {
  readonly optimizer: Optimizer;
  readonly loss: Loss;
  readonly metrics: readonly Metric[];
}

/** The names reported for a compiled model, `loss` first (the order of `evaluate`'s result). */
export function metricNames(compiled: Compiled): string[] {
  return ['loss', ...compiled.metrics.map((m) => m.name)];
}

/**
 * Forward pass and mean loss. When the last layer's activation is the one the loss fuses with
 * (softmax for categorical/sparse CE, sigmoid for binary CE) the loss is computed from the logits;
 * the predictions are still produced for the metrics.
 */
export function forwardWithLoss(model: Sequential, compiled: Compiled, x: Tensor, y: Tensor, training: boolean): { loss: Tensor; pred: Tensor } {
  const layers = model.layers;
  const last = layers[layers.length - 1];
  let h = x;
  for (const layer of layers.slice(0, -1)) h = layer.apply(h, { training });
  const { loss } = compiled;
  if (loss.fromLogits && loss.fusesWith === last.outputActivation) {
    last.assertInputShape(h.shape);
    const logits = last.callPreActivation(h, { training });
    return { loss: mean(loss.fromLogits(y, logits)), pred: activate(last.outputActivation, logits) };
  }
  const pred = last.apply(h, { training });
  return { loss: mean(loss.perSample(y, pred)), pred };
}

/** Per-batch sums of each metric's per-sample values. */
export function metricSums(metrics: readonly Metric[], y: Tensor, pred: Tensor): Tensor[] {
  return metrics.map((m) => sum(m.perSample(y, pred)));
}

/**
 * One optimizer step on a batch; returns [loss · size, ...metric sums] for `RunningMeans`. Call inside
 * a `tidy`. The predictions are kept out of the gradient scope to feed the metrics afterwards.
 */
export function trainStep(model: Sequential, compiled: Compiled, x: Tensor, y: Tensor): Tensor[] {
  const vars = model.trainableWeights;
  let pred: Tensor | undefined;
  const { value, grads } = valueAndGrad(() => {
    const out = forwardWithLoss(model, compiled, x, y, true);
    pred = compiled.metrics.length ? keep(out.pred) : undefined;
    return out.loss;
  }, vars);
  compiled.optimizer.applyGradients(grads, vars);
  const sums = pred ? metricSums(compiled.metrics, y, pred) : [];
  pred?.dispose();
  return [mul(value, x.shape[0]), ...sums];
}

/** Loss and metric sums of a batch in inference mode. Call inside a `tidy`. */
export function testStep(model: Sequential, compiled: Compiled, x: Tensor, y: Tensor): Tensor[] {
  const { loss, pred } = forwardWithLoss(model, compiled, x, y, false);
  return [mul(loss, x.shape[0]), ...metricSums(compiled.metrics, y, pred)];
}
