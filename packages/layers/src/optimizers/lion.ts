import { fuse, type Tensor } from '@strata/core';
import { z } from 'zod';
import { parseOptions } from '../training/options.ts';
import { Optimizer, baseOptions, unitInterval, type OptimizerConfig, type SlotSpec, type Slots, type StepInfo, type Update } from './optimizer.ts';

const lionOptions = baseOptions.extend({
  learningRate: baseOptions.shape.learningRate.default(0.001),
  // Keras: in (0, 1]; at 0 Lion degenerates to SignSGD
  beta1: z.number().gt(0).max(1).default(0.9),
  beta2: unitInterval(0.99),
});

export type LionOptions = z.input<typeof lionOptions>;

/** Keras's `Lion`: `w -= lr·sign(beta1·m + (1-beta1)·g)`, then `m = beta2·m + (1-beta2)·g`. */
export class Lion extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;

  constructor(options: LionOptions = {}) {
    const o = parseOptions(lionOptions, options, 'Lion');
    super({ className: 'Lion', prefix: 'lion' }, o);
    this.beta1 = o.beta1;
    this.beta2 = o.beta2;
  }

  protected slotGroups(): SlotSpec[][] {
    return [[{ name: 'momentum' }]];
  }

  protected update(grad: Tensor, value: Tensor, slots: Slots, { learningRate }: StepInfo): Update {
    const { beta1, beta2 } = this;
    const next = fuse([value, slots.momentum, grad], (w, m, g) => w.sub(m.mul(beta1).add(g.mul(1 - beta1)).sign().mul(learningRate)));
    const momentum = fuse([slots.momentum, grad], (m, g) => m.mul(beta2).add(g.mul(1 - beta2)));
    return { value: next, slots: { momentum } };
  }

  protected ownConfig(): OptimizerConfig {
    return { beta_1: this.beta1, beta_2: this.beta2 };
  }
}
