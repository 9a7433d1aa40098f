import { z } from 'zod';
import { parseOptions } from '../../training/options.ts';
import { LearningRateSchedule, type ScheduleConfig } from './schedule.ts';

const f = Math.fround;

const options = (name: string) =>
  z.strictObject({
    initialLearningRate: z.number().nonnegative(),
    decaySteps: z.number().positive(),
    decayRate: z.number().nonnegative(),
    staircase: z.boolean().default(false),
    name: z.string().min(1).default(name),
  });

const exponentialOptions = options('ExponentialDecay');
const inverseTimeOptions = options('InverseTimeDecay');

export type ExponentialDecayOptions = z.input<typeof exponentialOptions>;
export type InverseTimeDecayOptions = z.input<typeof inverseTimeOptions>;
type DecayConfig = z.output<typeof exponentialOptions>;

/** What the two step/decaySteps schedules share: their options and `p = step / decaySteps`, floored with `staircase`. */
abstract class StepFractionDecay extends LearningRateSchedule {
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly decayRate: number;
  readonly staircase: boolean;
  readonly name: string;

  protected constructor(o: DecayConfig) {
    super();
    this.initialLearningRate = o.initialLearningRate;
    this.decaySteps = o.decaySteps;
    this.decayRate = o.decayRate;
    this.staircase = o.staircase;
    this.name = o.name;
  }

  protected fraction(step: number): number {
    const p = f(step / f(this.decaySteps));
    return this.staircase ? Math.floor(p) : p;
  }

  getConfig(): ScheduleConfig {
    return { initial_learning_rate: this.initialLearningRate, decay_steps: this.decaySteps, decay_rate: this.decayRate, staircase: this.staircase, name: this.name };
  }
}

/** Keras's `ExponentialDecay`: `initialLearningRate · decayRate^(step / decaySteps)` (the exponent floored with `staircase`). */
export class ExponentialDecay extends StepFractionDecay {
  override readonly className = 'ExponentialDecay';

  constructor(options: ExponentialDecayOptions) {
    super(parseOptions(exponentialOptions, options, 'ExponentialDecay'));
  }

  call(step: number): number {
    return f(f(this.initialLearningRate) * f(f(this.decayRate) ** this.fraction(step)));
  }
}

/** Keras's `InverseTimeDecay`: `initialLearningRate / (1 + decayRate · step / decaySteps)` (the fraction floored with `staircase`). */
export class InverseTimeDecay extends StepFractionDecay {
  override readonly className = 'InverseTimeDecay';

  constructor(options: InverseTimeDecayOptions) {
    super(parseOptions(inverseTimeOptions, options, 'InverseTimeDecay'));
  }

  call(step: number): number {
    return f(f(this.initialLearningRate) / f(1 + f(f(this.decayRate) * this.fraction(step))));
  }
}
