import { z } from 'zod';
import { parseOptions } from '../../training/options.ts';
import { LearningRateSchedule, type ScheduleConfig } from './schedule.ts';

const piecewiseOptions = z.strictObject({
  boundaries: z.array(z.number()).min(1),
  values: z.array(z.number()).min(2),
  name: z.string().min(1).default('PiecewiseConstant'),
});

export type PiecewiseConstantDecayOptions = z.input<typeof piecewiseOptions>;

/**
 * Keras's `PiecewiseConstantDecay`: `values[0]` while `step <= boundaries[0]`, `values[i]` while
 * `boundaries[i-1] < step <= boundaries[i]`, and the last value after the last boundary.
 */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  override readonly className = 'PiecewiseConstantDecay';
  readonly boundaries: readonly number[];
  readonly values: readonly number[];
  readonly name: string;

  constructor(options: PiecewiseConstantDecayOptions) {
    super();
    const o = parseOptions(piecewiseOptions, options, 'PiecewiseConstantDecay');
    if (o.values.length !== o.boundaries.length + 1) {
      throw new Error(`PiecewiseConstantDecay: 'values' must have one entry more than 'boundaries'; got ${o.boundaries.length} boundaries and ${o.values.length} values`);
    }
    if (o.boundaries.some((b, i) => i > 0 && b <= o.boundaries[i - 1])) throw new Error(`PiecewiseConstantDecay: 'boundaries' must increase, got [${o.boundaries.join(', ')}]`);
    this.boundaries = o.boundaries;
    this.values = o.values;
    this.name = o.name;
  }

  call(step: number): number {
    const i = this.boundaries.findIndex((b) => step <= b);
    return Math.fround(this.values[i < 0 ? this.values.length - 1 : i]);
  }

  getConfig(): ScheduleConfig {
    return { boundaries: this.boundaries, values: this.values, name: this.name };
  }
}
