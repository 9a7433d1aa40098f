import { fuse, type Tensor } from '@strata/core';
import type { z } from 'zod';
import { parseOptions } from '../training/options.ts';
import { Optimizer, baseOptions, nonNegative, unitInterval, type OptimizerConfig, type SlotSpec, type Slots, type StepInfo, type Update } from './optimizer.ts';

const adadeltaOptions = baseOptions.extend({
  learningRate: baseOptions.shape.learningRate.default(0.001),
  rho: unitInterval(0.95),
  epsilon: nonNegative(1e-7),
});

export type AdadeltaOptions = z.input<typeof adadeltaOptions>;

/**
 * Keras's `Adadelta`: `G = rho·G + (1-rho)·g²`, `delta = -sqrt(D + eps)·g / sqrt(G + eps)`,
 * `D = rho·D + (1-rho)·delta²`, `w += lr·delta` (G, D: the `accumulated_grad` and `accumulated_delta_var` slots).
 */
export class Adadelta extends Optimizer {
  readonly rho: number;
  readonly epsilon: number;

  constructor(options: AdadeltaOptions = {}) {
    const o = parseOptions(adadeltaOptions, options, 'Adadelta');
    super({ className: 'Adadelta', prefix: 'adadelta' }, o);
    this.rho = o.rho;
    this.epsilon = o.epsilon;
  }

  protected slotGroups(): SlotSpec[][] {
    return [[{ name: 'accumulated_grad' }, { name: 'accumulated_delta_var' }]];
  }

  protected update(grad: Tensor, value: Tensor, slots: Slots, { learningRate }: StepInfo): Update {
    const { rho, epsilon } = this;
    const accumulatedGrad = fuse([slots.accumulated_grad, grad], (a, g) => a.mul(rho).add(g.square().mul(1 - rho)));
    const delta = fuse([slots.accumulated_delta_var, grad, accumulatedGrad], (d, g, a) => d.add(epsilon).sqrt().mul(g).div(a.add(epsilon).sqrt()).neg());
    const accumulatedDelta = fuse([slots.accumulated_delta_var, delta], (d, x) => d.mul(rho).add(x.square().mul(1 - rho)));
    const next = fuse([value, delta], (w, x) => w.add(x.mul(learningRate)));
    return { value: next, slots: { accumulated_grad: accumulatedGrad, accumulated_delta_var: accumulatedDelta } };
  }

  protected ownConfig(): OptimizerConfig {
    return { rho: this.rho, epsilon: this.epsilon };
  }
}
