import { fuse, keep, reshape, type Tensor, type Variable } from '@strata/core';
import { guarded } from '../training/step-guard.ts';

/** `variable ← variable · momentum + value · (1 − momentum)`, asked for by a layer during a training call. */
interface MovingAverageUpdate {
  readonly variable: Variable;
  readonly value: Tensor;
  readonly momentum: number;
}

let collecting: MovingAverageUpdate[] | undefined;

function assignMovingAverage({ variable, value, momentum }: MovingAverageUpdate): void {
  const target = reshape(value, variable.shape);
  const next = fuse([variable, target], (v, x) => v.mul(momentum).add(x.mul(1 - momentum)));
  variable.assign(guarded(next, variable)); // put back if fit's guard rejects the step
  next.dispose();
  target.dispose();
}

/**
 * A non-trainable state update (Keras's `moving_mean.assign(...)` in BatchNormalization). Inside
 * `deferStateUpdates` it waits until the step has its gradients, so it runs after the tape and never on
 * a failed step; called anywhere else (a layer applied with `training: true` by hand) it runs at once.
 */
export function updateMovingAverage(variable: Variable, value: Tensor, momentum: number): void {
  if (collecting) collecting.push({ variable, value: keep(value), momentum });
  else assignMovingAverage({ variable, value, momentum });
}

/**
 * Runs `step` (a training step's forward pass and gradients) holding back the state updates its layers
 * ask for, then `finish(result)` (the optimizer update), then the held updates in call order. If either
 * throws, the held updates are dropped: the moving statistics never see a failed step.
 */
export function deferStateUpdates<T>(step: () => T, finish: (result: T) => void): T {
  if (collecting) throw new Error('deferStateUpdates: a training step is already collecting state updates');
  const updates: MovingAverageUpdate[] = [];
  collecting = updates;
  try {
    let result: T;
    try {
      result = step();
    } finally {
      collecting = undefined;
    }
    finish(result);
    for (const u of updates) assignMovingAverage(u);
    return result;
  } finally {
    for (const u of updates) u.value.dispose();
  }
}
