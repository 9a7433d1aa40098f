import { describe, expect, it } from 'vitest';
import { initializers, memory } from '../src/index.ts';
import { values } from './helpers.ts';

function stats(xs: number[]): { mean: number; std: number; min: number; max: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length);
  return { mean, std, min: Math.min(...xs), max: Math.max(...xs) };
}

async function sample(init: initializers.Initializer, shape: number[]): Promise<number[]> {
  const t = init.init(shape);
  const v = await values(t);
  t.dispose();
  return v;
}

// Truncating N(0, s) at ±2s leaves a standard deviation of 0.87962566103423978·s; Keras divides by that.
describe('initializers', () => {
  const shape = [400, 300];
  const [fanIn, fanOut] = shape;

  it('glorotUniform: U(±sqrt(6/(fanIn+fanOut)))', async () => {
    const limit = Math.sqrt(6 / (fanIn + fanOut));
    const s = stats(await sample(initializers.glorotUniform({ seed: 1 }), shape));
    expect(s.max).toBeLessThanOrEqual(limit);
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.max).toBeGreaterThan(limit * 0.99);
    expect(s.std).toBeCloseTo(limit / Math.sqrt(3), 3);
    expect(Math.abs(s.mean)).toBeLessThan(0.002);
  });

  it('heUniform: U(±sqrt(6/fanIn))', async () => {
    const limit = Math.sqrt(6 / fanIn);
    const s = stats(await sample(initializers.heUniform({ seed: 2 }), shape));
    expect(s.max).toBeLessThanOrEqual(limit);
    expect(s.min).toBeGreaterThanOrEqual(-limit);
    expect(s.std).toBeCloseTo(limit / Math.sqrt(3), 3);
  });

  it('glorotNormal and heNormal: truncated at 2 stddev, target variance kept', async () => {
    for (const [init, variance] of [
      [initializers.glorotNormal({ seed: 3 }), 2 / (fanIn + fanOut)],
      [initializers.heNormal({ seed: 4 }), 2 / fanIn],
    ] as const) {
      const s = stats(await sample(init, shape));
      const stddev = Math.sqrt(variance) / 0.87962566103423978;
      expect(s.max).toBeLessThanOrEqual(2 * stddev * (1 + 1e-6));
      expect(s.min).toBeGreaterThanOrEqual(-2 * stddev * (1 + 1e-6));
      expect(s.std / Math.sqrt(variance)).toBeGreaterThan(0.98);
      expect(s.std / Math.sqrt(variance)).toBeLessThan(1.02);
    }
  });

  it('randomNormal / randomUniform defaults, zeros, ones', async () => {
    const n = stats(await sample(initializers.randomNormal({ seed: 5 }), [100000]));
    expect(n.std).toBeCloseTo(0.05, 3);
    const u = stats(await sample(initializers.randomUniform({ seed: 6 }), [100000]));
    expect(u.min).toBeGreaterThanOrEqual(-0.05);
    expect(u.max).toBeLessThan(0.05);
    expect(await sample(initializers.zeros(), [3])).toEqual([0, 0, 0]);
    expect(await sample(initializers.ones(), [2])).toEqual([1, 1]);
  });

  it('a seed gives the same values on every call; different seeds differ', async () => {
    for (const make of [initializers.glorotUniform, initializers.glorotNormal, initializers.heNormal, initializers.heUniform]) {
      const a = await sample(make({ seed: 42 }), [20, 10]);
      const b = await sample(make({ seed: 42 }), [20, 10]);
      const c = await sample(make({ seed: 43 }), [20, 10]);
      expect(a).toEqual(b);
      expect(a).not.toEqual(c);
    }
    const unseeded = initializers.glorotUniform();
    expect(await sample(unseeded, [10])).not.toEqual(await sample(unseeded, [10]));
  });

  it('resolves Keras and tfjs identifiers; unknown names list the valid ones', () => {
    expect(initializers.getInitializer('glorot_uniform').className).toBe('GlorotUniform');
    expect(initializers.getInitializer('heNormal').className).toBe('HeNormal');
    expect(() => initializers.getInitializer('xavier')).toThrow(/Unknown initializer "xavier"; valid initializers are glorot_uniform, glorot_normal/);
  });

  it('truncation by resampling frees its temporaries', () => {
    const before = memory().numTensors;
    initializers.heNormal({ seed: 1 }).init([50, 50]).dispose();
    expect(memory().numTensors).toBe(before);
  });
});
