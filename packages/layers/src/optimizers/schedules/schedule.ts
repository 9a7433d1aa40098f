import { toCamelCase } from '../../identifiers.ts';
import { classNameFromClass, fromRegistered, registeredNameOf } from '../../serialization.ts';

/** A schedule's `get_config()` entries (snake_case, as Keras writes them). */
export type ScheduleConfig = Record<string, string | number | boolean | null | readonly number[]>;

/**
 * Keras's `LearningRateSchedule`: the learning rate as a function of the optimizer's step count (0 before
 * the first update). The optimizer evaluates it on the host from its host-side counter, so a schedule
 * costs no device work; the value is rounded to float32, as Keras computes it in float32.
 */
export abstract class LearningRateSchedule {
  /** The Keras class name in saved configs: the JavaScript class's name unless a subclass says otherwise. */
  declare readonly className: string;
  /** The learning rate at `step` (Keras's `__call__`). */
  abstract call(step: number): number;
  /** Keras's `get_config()`. */
  abstract getConfig(): ScheduleConfig;
}

classNameFromClass(LearningRateSchedule);

/** What an optimizer's `learningRate` may be: a number, a schedule, or a function of the step count. */
export type LearningRate = number | LearningRateSchedule | ((step: number) => number);

/** How a schedule class is made from its camelCase options. */
export type ScheduleFactory = (options: Record<string, unknown>) => LearningRateSchedule;

/** Keras's serialized schedule, as it appears as `learning_rate` in an optimizer's config. */
export interface SerializedSchedule {
  module: 'keras.optimizers.schedules';
  class_name: string;
  config: ScheduleConfig;
  registered_name: string | null;
}

export function serializeSchedule(schedule: LearningRateSchedule): SerializedSchedule {
  return { module: 'keras.optimizers.schedules', class_name: schedule.className, config: schedule.getConfig(), registered_name: registeredNameOf(schedule) ?? null };
}

/** A schedule from Keras's `{class_name, config}`; an unknown class lists the known ones. */
export function deserializeSchedule(serialized: { class_name: string; registered_name?: string | null; config?: Record<string, unknown> }, factories: Readonly<Record<string, ScheduleFactory>>): LearningRateSchedule {
  const custom = fromRegistered(serialized, (made): made is LearningRateSchedule => made instanceof LearningRateSchedule);
  if (custom) return custom;
  const make = factories[serialized.class_name];
  if (!make) throw new Error(`Unknown learning rate schedule ${JSON.stringify(serialized.class_name)}; valid schedules are ${Object.keys(factories).join(', ')}`);
  const options = Object.fromEntries(Object.entries(serialized.config ?? {}).map(([k, v]) => [toCamelCase(k), v]));
  return make(options);
}
