import { fuse, type Tensor } from '@strata/core';
import type { z } from 'zod';
import { parseOptions } from '../training/options.ts';
import { Optimizer, baseOptions, nonNegative, type OptimizerConfig, type SlotSpec, type Slots, type StepInfo, type Update } from './optimizer.ts';

const adagradOptions = baseOptions.extend({
  learningRate: baseOptions.shape.learningRate.default(0.001),
  initialAccumulatorValue: nonNegative(0.1),
  epsilon: nonNegative(1e-7),
});

export type AdagradOptions = z.input<typeof adagradOptions>;

/** Keras's `Adagrad`: `accumulator += g²` (starting at `initialAccumulatorValue`), `w -= lr·g / sqrt(accumulator + epsilon)`. */
export class Adagrad extends Optimizer {
  readonly initialAccumulatorValue: number;
  readonly epsilon: number;

  constructor(options: AdagradOptions = {}) {
    const o = parseOptions(adagradOptions, options, 'Adagrad');
    super({ className: 'Adagrad', prefix: 'adagrad' }, o);
    this.initialAccumulatorValue = o.initialAccumulatorValue;
    this.epsilon = o.epsilon;
  }

  protected slotGroups(): SlotSpec[][] {
    return [[{ name: 'accumulator', initialValue: this.initialAccumulatorValue }]];
  }

  protected update(grad: Tensor, value: Tensor, slots: Slots, { learningRate }: StepInfo): Update {
    const { epsilon } = this;
    const accumulator = fuse([slots.accumulator, grad], (a, g) => a.add(g.square()));
    return { value: fuse([value, grad, accumulator], (w, g, a) => w.sub(g.mul(learningRate).div(a.add(epsilon).sqrt()))), slots: { accumulator } };
  }

  protected ownConfig(): OptimizerConfig {
    return { initial_accumulator_value: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
