import { z } from 'zod';
import { parseOptions } from '../../training/options.ts';
import { LearningRateSchedule, type ScheduleConfig } from './schedule.ts';

const f = Math.fround;

const polynomialOptions = z.strictObject({
  initialLearningRate: z.number().nonnegative(),
  decaySteps: z.number().positive(),
  endLearningRate: z.number().nonnegative().default(0.0001),
  power: z.number().default(1),
  cycle: z.boolean().default(false),
  name: z.string().min(1).default('PolynomialDecay'),
});

export type PolynomialDecayOptions = z.input<typeof polynomialOptions>;

/**
 * Keras's `PolynomialDecay`: `(initial - end)·(1 - step/decaySteps)^power + end`, the step held at
 * `decaySteps`; with `cycle` the horizon is instead the first multiple of `decaySteps` at or after the step.
 */
export class PolynomialDecay extends LearningRateSchedule {
  override readonly className = 'PolynomialDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly endLearningRate: number;
  readonly power: number;
  readonly cycle: boolean;
  readonly name: string;

  constructor(options: PolynomialDecayOptions) {
    super();
    const o = parseOptions(polynomialOptions, options, 'PolynomialDecay');
    this.initialLearningRate = o.initialLearningRate;
    this.decaySteps = o.decaySteps;
    this.endLearningRate = o.endLearningRate;
    this.power = o.power;
    this.cycle = o.cycle;
    this.name = o.name;
  }

  call(step: number): number {
    const horizon = this.cycle ? f(this.decaySteps * (step === 0 ? 1 : Math.ceil(step / this.decaySteps))) : f(this.decaySteps);
    const p = f(Math.min(step, horizon) / horizon);
    const end = f(this.endLearningRate);
    return f(f(f(f(this.initialLearningRate) - end) * f(f(1 - p) ** f(this.power))) + end);
  }

  getConfig(): ScheduleConfig {
    return { initial_learning_rate: this.initialLearningRate, decay_steps: this.decaySteps, end_learning_rate: this.endLearningRate, power: this.power, cycle: this.cycle, name: this.name };
  }
}
