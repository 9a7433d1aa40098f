import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { optimizers } from '../src/index.ts';

const { schedules } = optimizers;
const here = dirname(fileURLToPath(import.meta.url));

interface ScheduleCase {
  className: string;
  options: Record<string, unknown>;
  config: Record<string, unknown>;
  steps: number[];
  rates: number[];
}

const fixture = JSON.parse(readFileSync(join(here, 'fixtures/training-api.json'), 'utf8')) as { schedules: ScheduleCase[] };

/** The schedules are evaluated on the host in float32 steps; Keras evaluates them in float32 on the device. */
const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-7 + 2e-6 * Math.abs(b);

describe('learning-rate schedules against Keras 3 (training-api.json)', () => {
  it.each(fixture.schedules.map((c) => [`${c.className} ${JSON.stringify(c.options)}`, c] as const))('%s', (_, c) => {
    const schedule = schedules.deserialize({ class_name: c.className, config: c.config });
    const rates = c.steps.map((t) => schedule.call(t));
    rates.forEach((r, i) => expect(close(r, c.rates[i]), `step ${c.steps[i]}: ${r} vs Keras ${c.rates[i]}`).toBe(true));
    expect(schedule.getConfig()).toEqual(c.config);
    expect(schedules.serialize(schedule)).toEqual({ module: 'keras.optimizers.schedules', class_name: c.className, config: c.config, registered_name: null });
  });
});

describe('schedules as an optimizer learningRate', () => {
  it('the rate follows the schedule at the step count; setting it is refused; no learning_rate variable', async () => {
    const { Variable, tensor, tidy } = await import('../src/index.ts');
    const opt = new optimizers.SGD({ learningRate: new schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }) });
    const w = tidy(() => new Variable(tensor([1]), 'w'));
    expect(opt.learningRate).toBeCloseTo(0.1, 7);
    tidy(() => opt.applyGradients([[tensor([1]), w]])); // w = 1 - 0.1
    tidy(() => opt.applyGradients([[tensor([1]), w]])); // w -= 0.05
    expect(opt.learningRate).toBeCloseTo(0.025, 7);
    expect((await w.data())[0]).toBeCloseTo(0.85, 6);
    expect(opt.variables().map((v) => v.name)).toEqual(['iteration']);
    expect(() => (opt.learningRate = 0.5)).toThrow(/SGD: the learning rate is a ExponentialDecay schedule, so it cannot be set/);
    w.dispose();
    opt.dispose();
  });

  it('a function of the step works but cannot be saved in a config', () => {
    const opt = new optimizers.Adam({ learningRate: (step) => 0.1 / (step + 1) });
    expect(opt.learningRate).toBeCloseTo(0.1, 7);
    expect(() => opt.getConfig()).toThrow(/Adam: a function learning rate cannot be saved in a config; use a LearningRateSchedule/);
    const bad = new optimizers.Adam({ learningRate: () => Number.NaN });
    expect(() => bad.learningRate).toThrow(/Adam: the learning rate schedule gave NaN at step 0; it must give a finite number >= 0/);
  });

  it('an optimizer config with a Keras schedule loads', () => {
    const config = { learning_rate: { module: 'keras.optimizers.schedules', class_name: 'CosineDecay', config: { initial_learning_rate: 0.1, decay_steps: 10, alpha: 0, name: 'CosineDecay', warmup_target: null, warmup_steps: 0 }, registered_name: null } };
    const opt = optimizers.get({ className: 'Adam', config });
    expect(opt.getConfig().learning_rate).toEqual(config.learning_rate);
  });

  it('bad arguments name the schedule, the option and the valid choices', () => {
    expect(() => new schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 0, decayRate: 0.5 })).toThrow(/^ExponentialDecay: 'decaySteps'/);
    expect(() => new schedules.PiecewiseConstantDecay({ boundaries: [1, 2], values: [1, 2] })).toThrow("PiecewiseConstantDecay: 'values' must have one entry more than 'boundaries'; got 2 boundaries and 2 values");
    expect(() => new schedules.CosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmup: 5 } as never)).toThrow(/^CosineDecay: unknown option 'warmup'/);
    expect(() => schedules.deserialize({ class_name: 'StepDecay', config: {} })).toThrow('Unknown learning rate schedule "StepDecay"; valid schedules are ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, CosineDecay, CosineDecayRestarts');
    expect(() => new optimizers.SGD({ learningRate: 'fast' as never })).toThrow(/^SGD: 'learningRate' expected a number >= 0, a LearningRateSchedule or a function \(step\) => number/);
  });
});
