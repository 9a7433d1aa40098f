import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Variable, memory, setBackend, tensor, tidy } from '@strata/core';
import { useCpuAndWebGpu } from './backends.ts';
import * as optimizers from '../src/optimizers/index.ts';
import { Optimizer } from '../src/optimizers/index.ts';

const here = dirname(fileURLToPath(import.meta.url));

interface ScheduleSpec {
  className: string;
  options: Record<string, unknown>;
}

interface OptimizerCase {
  className: string;
  options: Record<string, unknown>;
  steps: number[][];
  iterations: number;
  variableNames: string[];
  variables: number[][];
  config: Record<string, unknown>;
}

const fixture = JSON.parse(readFileSync(join(here, 'fixtures/training-api.json'), 'utf8')) as { x0: number[]; grads: number[][]; optimizers: OptimizerCase[] };

useCpuAndWebGpu();

const camel = (k: string): string => k.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const isSchedule = (v: unknown): v is ScheduleSpec => typeof v === 'object' && v !== null && 'className' in v;

/** The Keras case's optimizer: snake_case options as camelCase, a schedule as the Strata schedule. */
function make(c: OptimizerCase): Optimizer {
  const options = Object.fromEntries(Object.entries(c.options).map(([k, v]) => [camel(k), isSchedule(v) ? optimizers.schedules.deserialize({ class_name: v.className, config: Object.fromEntries(Object.entries(v.options).map(([a, b]) => [a.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`), b])) }) : v]));
  return optimizers.get({ className: c.className, config: options });
}

const label = (c: OptimizerCase): string => `${c.className} ${JSON.stringify(c.options)}`;

/** float32 updates against Keras's float32 ones: a few ulps. */
function expectClose(actual: number[], expected: number[], what: string): void {
  expect(actual, what).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]), `${what}[${i}]: ${a} vs Keras ${expected[i]}`).toBeLessThanOrEqual(1e-6 + 2e-6 * Math.abs(expected[i])));
}

/** Four steps from x0; after each the variable, at the end every optimizer variable, against Keras. */
async function checkCase(c: OptimizerCase): Promise<void> {
  const opt = make(c);
  const w = tidy(() => new Variable(tensor(fixture.x0), 'w'));
  for (const [i, g] of fixture.grads.entries()) {
    tidy(() => opt.applyGradients([[tensor(g), w]]));
    expectClose(Array.from(await w.data()), c.steps[i], `${label(c)} step ${i + 1}`);
  }
  expect(opt.iterations).toBe(c.iterations);
  const vars = opt.variables();
  expect(vars.map((v) => v.name)).toEqual(c.variableNames.map((n) => n.replace(/^variable_\d+$/, 'variable')));
  for (const [i, v] of vars.entries()) expectClose(Array.from(await v.data()), c.variables[i], `${label(c)} ${v.name}`);
  w.dispose();
  opt.dispose();
}

describe('optimizers and base options against Keras 3 (training-api.json), on the CPU', () => {
  it.each(fixture.optimizers.map((c) => [label(c), c] as const))('%s', async (_, c) => {
    await checkCase(c);
    const { name, ...config } = make(c).getConfig();
    const { name: kerasName, ...keras } = c.config;
    expect(config).toEqual(keras);
    expect(typeof name).toBe(typeof kerasName);
  });
});

describe('optimizers on WebGPU', () => {
  beforeAll(() => setBackend('webgpu'));
  afterAll(() => setBackend('cpu'));
  const picked = [0, 2, 3, 4, 6, 10].map((i) => fixture.optimizers[i]);
  it.each(picked.map((c) => [label(c), c] as const))('%s', async (_, c) => checkCase(c));
});

describe('new optimizers: names, state and checks', () => {
  it('get knows every Keras name; an unknown one lists them', () => {
    for (const [name, cls] of [['nadam', optimizers.Nadam], ['Adamax', optimizers.Adamax], ['adadelta', optimizers.Adadelta], ['lion', optimizers.Lion], ['Ftrl', optimizers.Ftrl]] as const) {
      expect(optimizers.get(name)).toBeInstanceOf(cls);
    }
    expect(() => optimizers.get('nadamw')).toThrow('Unknown optimizer "nadamw"; valid optimizers are sgd, rmsprop, adam, adamw, adagrad, nadam, adamax, adadelta, lion, ftrl');
  });

  it('bad options name the optimizer and the option', () => {
    expect(() => new optimizers.Lion({ beta1: 0 })).toThrow(/^Lion: 'beta1'/);
    expect(() => new optimizers.Ftrl({ learningRatePower: 0.5 })).toThrow(/^Ftrl: 'learningRatePower'/);
    expect(() => new optimizers.Adam({ gradientAccumulationSteps: 1 })).toThrow(/^Adam: 'gradientAccumulationSteps'/);
    expect(() => new optimizers.SGD({ emaMomentum: 1.5 })).toThrow(/^SGD: 'emaMomentum'/);
    expect(() => new optimizers.SGD({ emaOverwriteFrequency: 0 })).toThrow(/^SGD: 'emaOverwriteFrequency'/);
    expect(() => optimizers.deserialize({ className: 'Adam', config: { loss_scale_factor: 2 } })).toThrow(/Adam: the Keras option 'loss_scale_factor' is not supported/);
  });

  it('a restored Nadam (with EMA and accumulation) continues exactly like the original', async () => {
    const w1 = tidy(() => new Variable(tensor([1, 2]), 'w'));
    const a = new optimizers.Nadam({ learningRate: 0.1, useEma: true, gradientAccumulationSteps: 2 });
    for (const g of [[0.5, -1], [0.25, 0.75], [-0.5, 0.1]]) tidy(() => a.applyGradients([tensor(g)], [w1]));
    const w2 = tidy(() => new Variable(tensor(Array.from(w1.dataSync())), 'w'));
    const b = new optimizers.Nadam({ learningRate: 0.1, useEma: true, gradientAccumulationSteps: 2 });
    b.build([w2]);
    const saved = a.getWeights();
    await b.setWeights(saved);
    for (const g of [[0.3, 0.3], [0.1, -0.2], [0.4, 0.0]]) {
      tidy(() => a.applyGradients([tensor(g)], [w1]));
      tidy(() => b.applyGradients([tensor(g)], [w2]));
    }
    expect(Array.from(w2.dataSync())).toEqual(Array.from(w1.dataSync()));
    for (const t of [...saved, w1, w2, a, b]) t.dispose();
  });

  it('finalizeVariableValues gives the variables their moving averages; no tensor leaks', () => {
    const w = tidy(() => new Variable(tensor([1, 2]), 'w'));
    const opt = new optimizers.Lion({ learningRate: 0.1, useEma: true, gradientAccumulationSteps: 2 });
    tidy(() => opt.applyGradients([tensor([1, 1])], [w]));
    const start = memory().numTensors;
    for (let i = 0; i < 10; i++) tidy(() => opt.applyGradients([tensor([1, -1])], [w]));
    expect(memory().numTensors).toBe(start);
    const average = Array.from(opt.variables().find((v) => v.name === 'w_average')!.dataSync());
    opt.finalizeVariableValues([w]);
    expect(Array.from(w.dataSync())).toEqual(average);
    w.dispose();
    opt.dispose();
  });
});
