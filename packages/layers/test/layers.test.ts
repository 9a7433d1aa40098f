import { describe, expect, it } from 'vitest';
import { Activation, Dense, Dropout, Flatten, Input, Reshape, Sequential, initializers, layers, memory, ones, tensor, tidy } from '../src/index.ts';
import { values } from './helpers.ts';

describe('layers', () => {
  it('Dense: glorotUniform kernel, zero bias, fused relu, Keras config', async () => {
    const d = new Dense({ units: 3, activation: 'relu', kernelInitializer: initializers.ones(), name: 'd' });
    const out = d.apply(tensor([[1, -2], [3, 4]]));
    expect(await values(out)).toEqual([0, 0, 0, 7, 7, 7]);
    expect(d.weights.map((w) => [w.name, w.shape])).toEqual([['d/kernel', [2, 3]], ['d/bias', [3]]]);
    expect(d.getConfig()).toMatchObject({ name: 'd', units: 3, activation: 'relu', useBias: true, kernelInitializer: { className: 'Ones' }, biasInitializer: { className: 'Zeros' } });
    expect(new Dense({ units: 1 }).getConfig()).toMatchObject({ activation: 'linear', kernelInitializer: { className: 'GlorotUniform' } });
    expect(() => new Dense({ units: 0 })).toThrow(/units must be a positive integer/);
    expect(() => new Dense({ units: 2, activation: 'gelu' as 'relu' })).toThrow(/Unknown activation "gelu"; valid activations are relu, softmax, sigmoid, tanh, linear/);
  });

  it('Dense on rank-3 input applies to the last axis; no bias when useBias is false', async () => {
    const d = new Dense({ units: 2, useBias: false, kernelInitializer: initializers.ones() });
    const out = d.apply(ones([2, 3, 4]));
    expect(out.shape).toEqual([2, 3, 2]);
    expect(new Set(await values(out))).toEqual(new Set([4]));
    expect(d.weights).toHaveLength(1);
  });

  it('Activation, Flatten, Reshape', async () => {
    const soft = await values(new Activation({ activation: 'softmax' }).apply(tensor([[0, Math.log(3)]])));
    expect(soft[0]).toBeCloseTo(0.25);
    expect(soft[1]).toBeCloseTo(0.75);
    expect(new Flatten().apply(ones([2, 3, 4])).shape).toEqual([2, 12]);
    const r = new Reshape({ targetShape: [2, -1] });
    expect(r.apply(ones([5, 6])).shape).toEqual([5, 2, 3]);
    expect(r.computeOutputShape([null, 6])).toEqual([null, 2, 3]);
    expect(() => new Reshape({ targetShape: [4, 4] }).build([null, 6])).toThrow(/cannot reshape input \(None, 6\) \(6 values per sample\) to target shape \[4, 4\]/);
  });

  it('Dropout: only in training, seeded, scaled by 1/(1-rate)', async () => {
    const x = ones([1000]);
    const a = new Dropout({ rate: 0.25, seed: 3 });
    expect(a.apply(x, { training: false })).toBe(x);
    const kept = await values(a.apply(x, { training: true }));
    const nonZero = kept.filter((v) => v !== 0);
    expect(new Set(nonZero)).toEqual(new Set([Math.fround(1 / 0.75)]));
    expect(nonZero.length / 1000).toBeGreaterThan(0.7);
    expect(nonZero.length / 1000).toBeLessThan(0.8);
    const next = await values(a.apply(x, { training: true }));
    expect(next).not.toEqual(kept); // each call draws a new mask
    const b = new Dropout({ rate: 0.25, seed: 3 });
    expect(await values(b.apply(x, { training: true }))).toEqual(kept); // same seed, same sequence
    expect(() => new Dropout({ rate: 1 })).toThrow(/rate must be in \[0, 1\)/);
  });

  it('Input fixes the input shape; add() builds as soon as the shape is known', () => {
    const model = new Sequential();
    model.add(Input({ shape: [3] }));
    model.add(layers.dense({ units: 2 }));
    expect(model.built).toBe(true);
    expect(model.inputShape).toEqual([null, 3]);
    const lazy = new Sequential([layers.dense({ units: 2 })]);
    expect(lazy.built).toBe(false);
    const out = lazy.predict(ones([4, 5]));
    expect(out.shape).toEqual([4, 2]);
    expect(lazy.built).toBe(true);
    expect(lazy.weights[0].shape).toEqual([5, 2]);
    expect(() => lazy.add(lazy.layers[0])).toThrow(/already in the model/);
  });

  it('getConfig lists the layers; layer names follow Keras (dense, dense_1, …)', () => {
    const model = new Sequential([layers.dense({ units: 4, inputShape: [2] }), layers.dropout({ rate: 0.1, seed: 1 }), layers.activation({ activation: 'tanh' })]);
    const config = model.getConfig();
    expect(config.layers.map((l) => l.className)).toEqual(['Dense', 'Dropout', 'Activation']);
    expect(config.layers[0].config).toMatchObject({ units: 4, batchInputShape: [null, 2] });
    const names = [new Dense({ units: 1 }), new Dense({ units: 1 })].map((l) => l.name);
    expect(Number(names[1].split('_')[1])).toBe(Number(names[0].split('_')[1] ?? 0) + 1);
  });

  it('building and calling layers leaks nothing', () => {
    const before = memory().numTensors;
    const d = new Dense({ units: 3, activation: 'softmax', kernelInitializer: 'he_normal' });
    tidy(() => d.apply(ones([2, 4]))).dispose();
    expect(memory().numTensors).toBe(before + 2); // kernel and bias
  });
});
