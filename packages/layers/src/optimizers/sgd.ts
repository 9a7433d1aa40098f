import { fuse, type Tensor } from '@strata/core';
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
    const rate = this.momentum;
    if (rate === 0) return { value: fuse([value, grad], (w, g) => w.sub(g.mul(learningRate))), slots: {} };
    const momentum = fuse([slots.momentum, grad], (m, g) => m.mul(rate).sub(g.mul(learningRate)));
    if (!this.nesterov) return { value: fuse([value, momentum], (w, m) => w.add(m)), slots: { momentum } };
    return { value: fuse([value, momentum, grad], (w, m, g) => w.add(m.mul(rate).sub(g.mul(learningRate)))), slots: { momentum } };
  }

  protected ownConfig(): OptimizerConfig {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}
