import { describe, expect, it } from 'vitest';
import { standardNormal, uniform01 } from '../../core/src/random.ts';
import { tensor, useBackend } from './helpers.ts';

const backend = useBackend();

describe('random', () => {
  it('uniform equals core\'s counter-based formula within 1e-6', async () => {
    const b = backend();
    const n = 100_000;
    const seed = 0xdeadbeef;
    const out = await b.read(tensor(b.random([n], { kind: 'uniform', seed, a: -2, b: 3 }), [n]));
    for (let i = 0; i < n; i++) expect(Math.abs(out[i] - (-2 + 5 * uniform01(seed, i)))).toBeLessThanOrEqual(1e-6);
  });

  it('normal matches Box–Muller in float32 precision', async () => {
    const b = backend();
    const n = 20_000;
    const out = await b.read(tensor(b.random([n], { kind: 'normal', seed: 42, a: 1, b: 0.5 }), [n]));
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(out[i] - (1 + 0.5 * standardNormal(42, i))));
    expect(worst).toBeLessThan(2e-4); // log and the tails amplify float32 rounding
  });
});
