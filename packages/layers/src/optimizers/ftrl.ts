import { fuse, type Tensor } from '@strata/core';
import { z } from 'zod';
import { parseOptions } from '../training/options.ts';
import { Optimizer, baseOptions, nonNegative, type OptimizerConfig, type SlotSpec, type Slots, type StepInfo, type Update } from './optimizer.ts';

const ftrlOptions = baseOptions.extend({
  learningRate: baseOptions.shape.learningRate.default(0.001),
  learningRatePower: z.number().max(0).default(-0.5),
  initialAccumulatorValue: nonNegative(0.1),
  l1RegularizationStrength: nonNegative(0),
  l2RegularizationStrength: nonNegative(0),
  l2ShrinkageRegularizationStrength: nonNegative(0),
  beta: nonNegative(0),
});

export type FtrlOptions = z.input<typeof ftrlOptions>;

/**
 * Keras's `Ftrl` (follow the regularized leader, McMahan et al. 2013), with `n` the accumulator and `p =
 * -learningRatePower`: `n' = n + g²`, `linear += g + 2·l2shrink·w - (n'^p - n^p)/lr·w`,
 * `w = (clip(linear, ±l1) - linear) / (n'^p/lr + 2·(l2 + beta/(2·lr)))`.
 */
export class Ftrl extends Optimizer {
  readonly learningRatePower: number;
  readonly initialAccumulatorValue: number;
  readonly l1RegularizationStrength: number;
  readonly l2RegularizationStrength: number;
  readonly l2ShrinkageRegularizationStrength: number;
  readonly beta: number;

  constructor(options: FtrlOptions = {}) {
    const o = parseOptions(ftrlOptions, options, 'Ftrl');
    super({ className: 'Ftrl', prefix: 'ftrl' }, o);
    this.learningRatePower = o.learningRatePower;
    this.initialAccumulatorValue = o.initialAccumulatorValue;
    this.l1RegularizationStrength = o.l1RegularizationStrength;
    this.l2RegularizationStrength = o.l2RegularizationStrength;
    this.l2ShrinkageRegularizationStrength = o.l2ShrinkageRegularizationStrength;
    this.beta = o.beta;
  }

  protected slotGroups(): SlotSpec[][] {
    return [[{ name: 'accumulator', initialValue: this.initialAccumulatorValue }, { name: 'linear' }]];
  }

  protected update(grad: Tensor, value: Tensor, slots: Slots, { learningRate: lr }: StepInfo): Update {
    const power = -this.learningRatePower;
    const l1 = this.l1RegularizationStrength;
    const l2 = this.l2RegularizationStrength + this.beta / (2 * lr);
    const shrink = 2 * this.l2ShrinkageRegularizationStrength;
    const accumulator = fuse([slots.accumulator, grad], (n, g) => n.add(g.square()));
    const linear = fuse([slots.linear, grad, value, slots.accumulator, accumulator], (l, g, w, n, n2) => l.add(g.add(w.mul(shrink)).sub(n2.pow(power).sub(n.pow(power)).div(lr).mul(w))));
    const next = fuse([linear, accumulator], (l, n2) => l.maximum(-l1).minimum(l1).sub(l).div(n2.pow(power).div(lr).add(2 * l2)));
    return { value: next, slots: { accumulator, linear } };
  }

  protected ownConfig(): OptimizerConfig {
    return {
      learning_rate_power: this.learningRatePower,
      initial_accumulator_value: this.initialAccumulatorValue,
      l1_regularization_strength: this.l1RegularizationStrength,
      l2_regularization_strength: this.l2RegularizationStrength,
      l2_shrinkage_regularization_strength: this.l2ShrinkageRegularizationStrength,
      beta: this.beta,
    };
  }
}
