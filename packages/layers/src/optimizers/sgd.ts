import { add, mul, sub, type Tensor } from '@strata/core';
import type { z } from 'zod';
import { parseOptions } from '../training/options.ts';
import { Optimizer, baseOptions, flag, unitInterval, type OptimizerConfig, type SlotSpec, type Slots, type StepInfo, type Update } from './optimizer.ts';

const sgdOptions = baseOptions.extend({
  learningRate: baseOptions.shape.learningRate.default(0.01),
  momentum: unitInterval(0),
  nesterov: flag(false),
});

export type SGDOptions = z.input<typeof sgdOptions>;

/**
 * Keras's `SGD`. Without momentum `w -= lr·g`; with it (a `momentum` slot)
 * `m = momentum·m - lr·g`, then `w += m`, or with Nesterov `w += momentum·m - lr·g`.
 */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(options: SGDOptions = {}) {
    const o = parseOptions(sgdOptions, options, 'SGD');
    super({ className: 'SGD', prefix: 'sgd' }, o);
    this.momentum = o.momentum;
    this.nesterov = o.nesterov;
  }

  protected slotGroups(): SlotSpec[][] {
    return this.momentum === 0 ? [] : [[{ name: 'momentum' }]];
  }

  protected update(grad: Tensor, value: Tensor, slots: Slots, { learningRate }: StepInfo): Update {
    const step = mul(grad, learningRate);
    if (this.momentum === 0) return { value: sub(value, step), slots: {} };
    const momentum = sub(mul(slots.momentum, this.momentum), step);
    const delta = this.nesterov ? sub(mul(momentum, this.momentum), step) : momentum;
    return { value: add(value, delta), slots: { momentum } };
  }

  protected ownConfig(): OptimizerConfig {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}
