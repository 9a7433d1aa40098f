import { describe, expect, it } from 'vitest';
import { BROADCAST_KINDS, Rng, broadcastSuite, classifyPair, shapeSuite } from '../src/random-shapes.ts';
import { broadcastShape, numel } from '../src/reference.ts';

// The generator itself (no backend): the suites above rely on it to cover these cases.
describe('random-shapes', () => {
  it('is deterministic for a seed', () => {
    expect(shapeSuite(new Rng(5), 12)).toEqual(shapeSuite(new Rng(5), 12));
    expect(broadcastSuite(new Rng(5))).toEqual(broadcastSuite(new Rng(5)));
  });

  it('shape suites cover every rank 0–5, size-0 and size-1 axes', () => {
    const shapes = shapeSuite(new Rng(1), 10);
    expect(new Set(shapes.map((s) => s.length))).toEqual(new Set([0, 1, 2, 3, 4, 5]));
    expect(shapes.some((s) => numel(s) === 0)).toBe(true);
    expect(shapes.some((s) => s.includes(1))).toBe(true);
  });

  it('broadcast suites cover every broadcasting kind, and every pair broadcasts', () => {
    for (const seed of [1, 2, 3]) {
      const pairs = broadcastSuite(new Rng(seed));
      const seen = new Set(pairs.flatMap(({ a, b }) => [...classifyPair(a, b)]));
      expect([...seen].sort()).toEqual([...BROADCAST_KINDS].sort());
      for (const { kind, a, b } of pairs) {
        expect(broadcastShape(a, b), `${kind} (${a}) (${b})`).not.toBeNull();
        if (kind !== 'random') expect(classifyPair(a, b).has(kind), `${kind} (${a}) (${b})`).toBe(true);
      }
    }
  });
});
