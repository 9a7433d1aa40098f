import { fuse, type Tensor } from '@strata/core';
import type { z } from 'zod';
import { parseOptions } from '../training/options.ts';
import { Optimizer, baseOptions, belowOne, nonNegative, type OptimizerConfig, type SlotSpec, type Slots, type StepInfo, type Update } from './optimizer.ts';

const adamaxOptions = baseOptions.extend({
  learningRate: baseOptions.shape.learningRate.default(0.001),
  beta1: belowOne(0.9),
  beta2: belowOne(0.999),
  epsilon: nonNegative(1e-7),
});

export type AdamaxOptions = z.input<typeof adamaxOptions>;

/**
 * Keras's `Adamax` (Adam with the infinity norm): `m += (g - m)·(1-beta1)`, `u = max(beta2·u, |g|)`,
 * `w -= lr·m / ((1 - beta1^t)·(u + epsilon))`.
 */
export class Adamax extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: AdamaxOptions = {}) {
    const o = parseOptions(adamaxOptions, options, 'Adamax');
    super({ className: 'Adamax', prefix: 'adamax' }, o);
    this.beta1 = o.beta1;
    this.beta2 = o.beta2;
    this.epsilon = o.epsilon;
  }

  protected slotGroups(): SlotSpec[][] {
    return [[{ name: 'momentum' }, { name: 'norm' }]];
  }

  protected update(grad: Tensor, value: Tensor, slots: Slots, { learningRate, step }: StepInfo): Update {
    const { beta1, beta2, epsilon } = this;
    const correction = Math.fround(1 - Math.fround(Math.fround(beta1) ** step));
    const momentum = fuse([slots.momentum, grad], (m, g) => m.add(g.sub(m).mul(1 - beta1)));
    const norm = fuse([slots.norm, grad], (u, g) => u.mul(beta2).maximum(g.abs()));
    const next = fuse([value, momentum, norm], (w, m, u) => w.sub(m.mul(learningRate).div(u.add(epsilon).mul(correction))));
    return { value: next, slots: { momentum, norm } };
  }

  protected ownConfig(): OptimizerConfig {
    return { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}
