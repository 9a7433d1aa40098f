import { CosineDecay, CosineDecayRestarts, type CosineDecayOptions, type CosineDecayRestartsOptions } from './cosine-decay.ts';
import { ExponentialDecay, InverseTimeDecay, type ExponentialDecayOptions, type InverseTimeDecayOptions } from './exponential-decay.ts';
import { PiecewiseConstantDecay, type PiecewiseConstantDecayOptions } from './piecewise-constant-decay.ts';
import { PolynomialDecay, type PolynomialDecayOptions } from './polynomial-decay.ts';
import { LearningRateSchedule, deserializeSchedule, serializeSchedule, type ScheduleFactory, type SerializedSchedule } from './schedule.ts';

export { LearningRateSchedule, ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, CosineDecay, CosineDecayRestarts };
export type { LearningRate, ScheduleConfig, SerializedSchedule } from './schedule.ts';
export type { ExponentialDecayOptions, PiecewiseConstantDecayOptions, PolynomialDecayOptions, InverseTimeDecayOptions, CosineDecayOptions, CosineDecayRestartsOptions };

/** Keras's class names (`keras.optimizers.schedules.*`). */
const SCHEDULES: Readonly<Record<string, ScheduleFactory>> = {
  ExponentialDecay: (o) => new ExponentialDecay(o as ExponentialDecayOptions),
  PiecewiseConstantDecay: (o) => new PiecewiseConstantDecay(o as PiecewiseConstantDecayOptions),
  PolynomialDecay: (o) => new PolynomialDecay(o as PolynomialDecayOptions),
  InverseTimeDecay: (o) => new InverseTimeDecay(o as InverseTimeDecayOptions),
  CosineDecay: (o) => new CosineDecay(o as CosineDecayOptions),
  CosineDecayRestarts: (o) => new CosineDecayRestarts(o as CosineDecayRestartsOptions),
};

/** Keras's `schedules.serialize`: `{module, class_name, config, registered_name}`. */
export const serialize = (schedule: LearningRateSchedule): SerializedSchedule => serializeSchedule(schedule);

/** Keras's `schedules.deserialize`: a schedule from `{class_name, config}` (as Keras writes it). */
export const deserialize = (serialized: { class_name: string; config?: Record<string, unknown> }): LearningRateSchedule => deserializeSchedule(serialized, SCHEDULES);
