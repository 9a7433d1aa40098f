import { add, div, mul, sqrt, square, sub, type Tensor } from '@strata/core';
import type { z } from 'zod';
import { parseOptions } from '../training/options.ts';
import { Optimizer, baseOptions, flag, nonNegative, unitInterval, type OptimizerConfig, type SlotSpec, type Slots, type StepInfo, type Update } from './optimizer.ts';

const rmspropOptions = baseOptions.extend({
  learningRate: baseOptions.shape.learningRate.default(0.001),
  rho: unitInterval(0.9),
  momentum: unitInterval(0),
  epsilon: nonNegative(1e-7),
  centered: flag(false),
});

export type RMSpropOptions = z.input<typeof rmspropOptions>;

/**
 * Keras's `RMSprop`: `velocity = rho·velocity + (1-rho)·g²`; centered, also
 * `average_gradient = rho·ag + (1-rho)·g` and the denominator `velocity - ag²`;
 * `increment = lr·g / sqrt(denominator + epsilon)`; with momentum `m = momentum·m + increment, w -= m`,
 * else `w -= increment`.
 */
export class RMSprop extends Optimizer {
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly centered: boolean;

  constructor(options: RMSpropOptions = {}) {
    const o = parseOptions(rmspropOptions, options, 'RMSprop');
    super({ className: 'RMSprop', prefix: 'rm_sprop' }, o);
    this.rho = o.rho;
    this.momentum = o.momentum;
    this.epsilon = o.epsilon;
    this.centered = o.centered;
  }

  protected slotGroups(): SlotSpec[][] {
    const groups = [[{ name: 'velocity' }]];
    if (this.momentum > 0) groups.push([{ name: 'momentum' }]);
    if (this.centered) groups.push([{ name: 'average_gradient' }]);
    return groups;
  }

  protected update(grad: Tensor, value: Tensor, slots: Slots, { learningRate }: StepInfo): Update {
    const { rho } = this;
    const velocity = add(mul(slots.velocity, rho), mul(square(grad), 1 - rho));
    const next: Record<string, Tensor> = { velocity };
    let denominator = velocity;
    if (this.centered) {
      next.average_gradient = add(mul(slots.average_gradient, rho), mul(grad, 1 - rho));
      denominator = sub(velocity, square(next.average_gradient));
    }
    const increment = div(mul(grad, learningRate), sqrt(add(denominator, this.epsilon)));
    if (this.momentum === 0) return { value: sub(value, increment), slots: next };
    next.momentum = add(mul(slots.momentum, this.momentum), increment);
    return { value: sub(value, next.momentum), slots: next };
  }

  protected ownConfig(): OptimizerConfig {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
