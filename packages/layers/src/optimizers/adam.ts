import { fuse, maximum, type Tensor } from '@strata/core';
import type { z } from 'zod';
import { parseOptions } from '../training/options.ts';
import { Optimizer, baseOptions, belowOne, flag, nonNegative, type OptimizerConfig, type OptimizerKind, type SlotSpec, type Slots, type StepInfo, type Update } from './optimizer.ts';

export const adamOptions = baseOptions.extend({
  learningRate: baseOptions.shape.learningRate.default(0.001),
  beta1: belowOne(0.9),
  beta2: belowOne(0.999),
  epsilon: nonNegative(1e-7),
  amsgrad: flag(false),
});

export type AdamOptions = z.input<typeof adamOptions>;
type AdamConfig = z.output<typeof adamOptions>;

/** What AdamW changes: its name and its options (a weight decay by default). */
export interface AdamKind extends OptimizerKind {
  readonly schema: z.ZodType<AdamConfig, AdamOptions>;
}

/**
 * Keras's `Adam`. At step t: `alpha = lr·sqrt(1-beta2^t)/(1-beta1^t)`, `m += (g-m)·(1-beta1)`,
 * `v += (g²-v)·(1-beta2)`, with amsgrad `v̂ = max(v̂, v)` used in place of v, `w -= alpha·m/(sqrt(v)+epsilon)`.
 * alpha is computed on the host from the step count, in float32 arithmetic as Keras does it.
 */
export class Adam extends Optimizer {
  protected static readonly kind: AdamKind = { className: 'Adam', prefix: 'adam', schema: adamOptions };
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly amsgrad: boolean;

  constructor(options: AdamOptions = {}) {
    const kind = (new.target as typeof Adam).kind;
    const o = parseOptions(kind.schema, options, kind.className);
    super(kind, o);
    this.beta1 = o.beta1;
    this.beta2 = o.beta2;
    this.epsilon = o.epsilon;
    this.amsgrad = o.amsgrad;
  }

  protected slotGroups(): SlotSpec[][] {
    const groups = [[{ name: 'momentum' }, { name: 'velocity' }]];
    if (this.amsgrad) groups.push([{ name: 'velocity_hat' }]);
    return groups;
  }

  protected update(grad: Tensor, value: Tensor, slots: Slots, { learningRate, step }: StepInfo): Update {
    const { beta1, beta2 } = this;
    const alpha = biasCorrectedRate(learningRate, beta1, beta2, step);
    const { epsilon } = this;
    const momentum = fuse([slots.momentum, grad], (m, g) => m.add(g.sub(m).mul(1 - beta1)));
    const velocity = fuse([slots.velocity, grad], (v, g) => v.add(g.square().sub(v).mul(1 - beta2)));
    const next: Record<string, Tensor> = { momentum, velocity };
    if (this.amsgrad) next.velocity_hat = maximum(slots.velocity_hat, velocity);
    const update = fuse([value, momentum, next.velocity_hat ?? velocity], (w, m, v) => w.sub(m.mul(alpha).div(v.sqrt().add(epsilon))));
    return { value: update, slots: next };
  }

  protected ownConfig(): OptimizerConfig {
    return { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

/**
 * `lr·sqrt(1-beta2^t)/(1-beta1^t)` the way Keras computes it: in float32, with the betas cast to float32
 * before the power (so `1-0.999^1` is 0.00099998713, not 0.001: a 1e-5 relative effect early on).
 */
function biasCorrectedRate(learningRate: number, beta1: number, beta2: number, step: number): number {
  const f = Math.fround;
  const power = (beta: number): number => f(f(beta) ** step);
  return f(f(learningRate * f(Math.sqrt(f(1 - power(beta2))))) / f(1 - power(beta1)));
}
