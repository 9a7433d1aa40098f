import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setBackend, tensor, tidy, type Tensor } from '@strata/core';
import { useCpuAndWebGpu } from './backends.ts';
import * as losses from '../src/losses.ts';
import { getLoss, type LossFunctionWrapper, type Reduction } from '../src/losses.ts';

const here = dirname(fileURLToPath(import.meta.url));

interface LossCase {
  className: string;
  options: Record<string, unknown>;
  config: Record<string, unknown>;
  yTrue: number[] | number[][];
  yPred: number[][];
  perSample: number[];
  reduced: Record<Reduction, number>;
  /** Each reduction with the sample weights SAMPLE_WEIGHT (`none`: the weighted values). */
  weighted: Record<Reduction, number | number[]>;
}

const SAMPLE_WEIGHT = [1, 0, 2, 0.5];

const fixture = JSON.parse(readFileSync(join(here, 'fixtures/training-api.json'), 'utf8')) as { losses: LossCase[] };

useCpuAndWebGpu();

type LossClass = new (options: Record<string, unknown>) => LossFunctionWrapper;
const make = (c: LossCase, extra: Record<string, unknown> = {}): LossFunctionWrapper => new (losses as unknown as Record<string, LossClass>)[c.className]({ ...c.options, ...extra });
const label = (c: LossCase): string => `${c.className} ${JSON.stringify(c.options)}`;
const sparse = (c: LossCase): boolean => c.className.startsWith('Sparse');
const inputs = (c: LossCase): [Tensor, Tensor] => [sparse(c) ? tensor(c.yTrue as number[], [c.yTrue.length], 'int32') : tensor(c.yTrue as number[][]), tensor(c.yPred)];

async function read(f: () => Tensor): Promise<number[]> {
  const t = tidy(f);
  const out = Array.from(await t.data());
  t.dispose();
  return out;
}

/** float32 against Keras's float32 (JAX on the CPU): a few ulps of the per-sample values. */
function expectClose(actual: number[], expected: number[], what: string): void {
  expect(actual, what).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i]), `${what}[${i}]: ${a} vs Keras ${expected[i]}`).toBeLessThanOrEqual(2e-6 + 1e-5 * Math.abs(expected[i])));
}

async function checkCase(c: LossCase): Promise<void> {
  const loss = make(c);
  expectClose(await read(() => loss.perSample(...inputs(c))), c.perSample, `${label(c)} per sample`);
  for (const reduction of ['sum_over_batch_size', 'sum', 'mean'] as const) {
    expectClose(await read(() => make(c, { reduction }).call(...inputs(c))), [c.reduced[reduction]], `${label(c)} ${reduction}`);
  }
  expectClose(await read(() => make(c, { reduction: 'none' }).call(...inputs(c))), c.perSample, `${label(c)} none`);
  for (const reduction of ['sum_over_batch_size', 'sum', 'mean', 'mean_with_sample_weight', 'none'] as const) {
    expectClose(await read(() => make(c, { reduction }).call(...inputs(c), tensor(SAMPLE_WEIGHT))), [c.weighted[reduction]].flat(), `${label(c)} ${reduction} with sample weights`);
  }
}

describe('loss classes against Keras 3 (training-api.json), on the CPU', () => {
  it.each(fixture.losses.map((c) => [label(c), c] as const))('%s', async (_, c) => {
    await checkCase(c);
    const config = make(c).getConfig();
    // Keras 3.15's Huber.get_config() leaves delta out; Strata writes it (Keras's from_config takes it)
    expect(config).toEqual(c.className === 'Huber' ? { ...c.config, delta: c.options.delta ?? 1 } : c.config);
    expect(losses.deserialize({ class_name: c.className, config }).getConfig()).toEqual(config);
  });
});

describe('loss classes on WebGPU', () => {
  beforeAll(() => setBackend('webgpu'));
  afterAll(() => setBackend('cpu'));
  // a few with the ops the others do not use: where (Huber), pow (focal), the device-side label check (Hinge), rsqrt (cosine)
  const picked = ['Huber', 'Hinge', 'CosineSimilarity', 'BinaryFocalCrossentropy', 'CategoricalFocalCrossentropy', 'LogCosh'].map((name) => fixture.losses.find((c) => c.className === name)!);
  it.each(picked.map((c) => [label(c), c] as const))('%s', async (_, c) => checkCase(c));
});

describe('string identifiers', () => {
  it('every Keras name (and alias) gives the function of the class with default options', async () => {
    const names: Record<string, string> = {
      huber: 'Huber', kl_divergence: 'KLDivergence', kld: 'KLDivergence', poisson: 'Poisson', hinge: 'Hinge', squared_hinge: 'SquaredHinge',
      categorical_hinge: 'CategoricalHinge', log_cosh: 'LogCosh', logcosh: 'LogCosh', cosine_similarity: 'CosineSimilarity',
      binary_focal_crossentropy: 'BinaryFocalCrossentropy', categorical_focal_crossentropy: 'CategoricalFocalCrossentropy',
      mean_squared_logarithmic_error: 'MeanSquaredLogarithmicError', msle: 'MeanSquaredLogarithmicError',
    };
    for (const [name, className] of Object.entries(names)) {
      const c = fixture.losses.find((k) => k.className === className && !Object.keys(k.options).length)!;
      expectClose(await read(() => getLoss(name).perSample(...inputs(c))), c.perSample, name);
      expect(getLoss(name).className).toBeUndefined(); // saved by name, as Keras saves a string loss
    }
    expect(getLoss('klDivergence')).toBe(getLoss('kl_divergence'));
  });

  it('unknown names, reductions and options list the valid choices', () => {
    expect(() => getLoss('hubber')).toThrow(/^Unknown loss "hubber"; valid losses are categorical_crossentropy, .*huber, /);
    expect(() => new losses.Huber({ reduction: 'avg' as never })).toThrow(/^Huber: 'reduction' .*"sum_over_batch_size"\|"sum"\|"mean"\|"mean_with_sample_weight"\|"none"/);
    expect(() => new losses.Huber({ delta: -1 })).toThrow(/^Huber: 'delta'/);
    expect(() => new losses.BinaryFocalCrossentropy({ gama: 2 } as never)).toThrow(/^BinaryFocalCrossentropy: unknown option 'gama' — did you mean 'gamma'\?/);
    expect(() => new losses.CategoricalCrossentropy({ axis: 1 as never })).toThrow(/^CategoricalCrossentropy: 'axis' only axis -1 is supported/);
    expect(() => losses.deserialize({ class_name: 'Dice' })).toThrow(/^Unknown loss class "Dice"; valid loss classes are CategoricalCrossentropy, /);
  });

  it('fromLogits classes do not fuse with the final activation; the others do', () => {
    expect(new losses.CategoricalCrossentropy().fusesWith).toBe('softmax');
    expect(new losses.CategoricalCrossentropy({ fromLogits: true }).fusesWith).toBeUndefined();
    expect(new losses.BinaryCrossentropy().fusesWith).toBe('sigmoid');
    expect(new losses.SparseCategoricalCrossentropy({ fromLogits: true }).fusesWith).toBeUndefined();
  });
});
