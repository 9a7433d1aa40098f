import { fuse, type Fusable, type Tensor } from '@strata/core';
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
    const { rho, epsilon, momentum } = this;
    const velocity = fuse([slots.velocity, grad], (v, g) => v.mul(rho).add(g.square().mul(1 - rho)));
    const next: Record<string, Tensor> = { velocity };
    if (this.centered) next.average_gradient = fuse([slots.average_gradient, grad], (a, g) => a.mul(rho).add(g.mul(1 - rho)));
    // the increment, computed inside the fused update that uses it (cheaper than a pass writing it);
    // `a`, the average gradient, is an input only when centered
    const inputs = next.average_gradient ? [grad, velocity, next.average_gradient] : [grad, velocity];
    const increment = (g: Fusable, v: Fusable, a?: Fusable) => g.mul(learningRate).div((a ? v.sub(a.square()) : v).add(epsilon).sqrt());
    if (momentum === 0) return { value: fuse([value, ...inputs], (w, g, v, a) => w.sub(increment(g, v, a))), slots: next };
    next.momentum = fuse([slots.momentum, ...inputs], (m, g, v, a) => m.mul(momentum).add(increment(g, v, a)));
    return { value: fuse([value, next.momentum], (w, m) => w.sub(m)), slots: next };
  }

  protected ownConfig(): OptimizerConfig {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
