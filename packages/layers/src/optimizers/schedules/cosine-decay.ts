import { z } from 'zod';
import { parseOptions } from '../../training/options.ts';
import { LearningRateSchedule, type ScheduleConfig } from './schedule.ts';

const f = Math.fround;

/** `alpha + (1 - alpha)·½(1 + cos(π·fraction))`, Keras's cosine factor (scaled by `scale`, Keras's `m_mul` factor). */
const cosineFactor = (fraction: number, alpha: number, scale = 1): number => f(f(f(1 - alpha) * f(f(0.5 * scale) * f(1 + f(Math.cos(f(Math.PI) * fraction))))) + f(alpha));

const cosineOptions = z.strictObject({
  initialLearningRate: z.number().nonnegative(),
  decaySteps: z.number().positive(),
  alpha: z.number().min(0).max(1).default(0),
  name: z.string().min(1).default('CosineDecay'),
  warmupTarget: z.number().nonnegative().nullable().default(null),
  warmupSteps: z.number().nonnegative().default(0),
});

export type CosineDecayOptions = z.input<typeof cosineOptions>;

/**
 * Keras's `CosineDecay`: from `initialLearningRate` down to `alpha·initialLearningRate` over `decaySteps`
 * along half a cosine, then constant. With `warmupTarget`, first a linear rise from `initialLearningRate`
 * to `warmupTarget` over `warmupSteps`, then the cosine decay from `warmupTarget`.
 */
export class CosineDecay extends LearningRateSchedule {
  override readonly className = 'CosineDecay';
  readonly initialLearningRate: number;
  readonly decaySteps: number;
  readonly alpha: number;
  readonly name: string;
  readonly warmupTarget: number | null;
  readonly warmupSteps: number;

  constructor(options: CosineDecayOptions) {
    super();
    const o = parseOptions(cosineOptions, options, 'CosineDecay');
    this.initialLearningRate = o.initialLearningRate;
    this.decaySteps = o.decaySteps;
    this.alpha = o.alpha;
    this.name = o.name;
    this.warmupTarget = o.warmupTarget;
    this.warmupSteps = o.warmupSteps;
  }

  call(step: number): number {
    const initial = f(this.initialLearningRate);
    const decaySteps = f(this.decaySteps);
    if (this.warmupTarget === null) return f(initial * cosineFactor(f(Math.min(step, decaySteps) / decaySteps), this.alpha));
    const target = f(this.warmupTarget);
    const at = Math.min(step, decaySteps + this.warmupSteps);
    if (at < this.warmupSteps) return f(f(f(target - initial) * f(at / this.warmupSteps)) + initial);
    return f(target * cosineFactor(f(f(at - this.warmupSteps) / decaySteps), this.alpha));
  }

  getConfig(): ScheduleConfig {
    return { initial_learning_rate: this.initialLearningRate, decay_steps: this.decaySteps, alpha: this.alpha, name: this.name, warmup_target: this.warmupTarget, warmup_steps: this.warmupSteps };
  }
}

const restartsOptions = z.strictObject({
  initialLearningRate: z.number().nonnegative(),
  firstDecaySteps: z.number().positive(),
  tMul: z.number().positive().default(2),
  mMul: z.number().nonnegative().default(1),
  alpha: z.number().min(0).max(1).default(0),
  name: z.string().min(1).default('SGDRDecay'),
});

export type CosineDecayRestartsOptions = z.input<typeof restartsOptions>;

/**
 * Keras's `CosineDecayRestarts` (SGDR): cosine decays over periods of `firstDecaySteps`, each `tMul` times
 * longer than the last and starting from `mMul` times the previous peak.
 */
export class CosineDecayRestarts extends LearningRateSchedule {
  override readonly className = 'CosineDecayRestarts';
  readonly initialLearningRate: number;
  readonly firstDecaySteps: number;
  readonly tMul: number;
  readonly mMul: number;
  readonly alpha: number;
  readonly name: string;

  constructor(options: CosineDecayRestartsOptions) {
    super();
    const o = parseOptions(restartsOptions, options, 'CosineDecayRestarts');
    this.initialLearningRate = o.initialLearningRate;
    this.firstDecaySteps = o.firstDecaySteps;
    this.tMul = o.tMul;
    this.mMul = o.mMul;
    this.alpha = o.alpha;
    this.name = o.name;
  }

  call(step: number): number {
    const tMul = f(this.tMul);
    let fraction = f(step / f(this.firstDecaySteps));
    let restart: number;
    if (tMul === 1) {
      restart = Math.floor(fraction);
      fraction = f(fraction - restart);
    } else {
      // period i lasts tMul^i first periods: the periods before it sum to (1 - tMul^i) / (1 - tMul)
      restart = Math.floor(f(f(Math.log(f(1 - f(fraction * f(1 - tMul))))) / f(Math.log(tMul))));
      const before = f(f(1 - f(tMul ** restart)) / f(1 - tMul));
      fraction = f(f(fraction - before) / f(tMul ** restart));
    }
    return f(f(this.initialLearningRate) * cosineFactor(fraction, this.alpha, f(f(this.mMul) ** restart)));
  }

  getConfig(): ScheduleConfig {
    return { initial_learning_rate: this.initialLearningRate, first_decay_steps: this.firstDecaySteps, t_mul: this.tMul, m_mul: this.mMul, alpha: this.alpha, name: this.name };
  }
}
