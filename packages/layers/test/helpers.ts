import { expect } from 'vitest';
import { add, gather, randomNormal, tensor, tidy, type MemoryInfo, type Tensor } from '../src/index.ts';

/** Flat values of a tensor as plain numbers. */
export async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** Largest difference relative to the scale of the expected values (at least 1). */
export function relDiff(actual: number[], expected: number[]): number {
  if (actual.length !== expected.length) throw new Error(`relDiff: ${actual.length} values, expected ${expected.length}`);
  const scale = Math.max(1, ...expected.map(Math.abs));
  return Math.max(0, ...actual.map((v, i) => Math.abs(v - expected[i]))) / scale;
}

/** All weights of a model as flat arrays (for before/after comparisons). */
export async function weightValues(model: { getWeights(): Tensor[] }): Promise<number[][]> {
  const ws = model.getWeights();
  const out = await Promise.all(ws.map(values));
  for (const w of ws) w.dispose();
  return out;
}

/**
 * A separable 3-class problem in 4-D: class k (k = i mod 3) is a unit-variance blob around 3·e_k.
 * Returns x [n, 4] and integer labels [n].
 */
export function separable(n: number, seed = 7): { x: Tensor; labels: Tensor; classes: number[] } {
  const classes = Array.from({ length: n }, (_, i) => i % 3);
  const x = tidy(() => {
    const centers = tensor([[3, 0, 0, 0], [0, 3, 0, 0], [0, 0, 3, 0]]);
    return add(gather(centers, classes), randomNormal([n, 4], 0, 1, { seed }));
  });
  return { x, labels: tensor(classes, [n], 'int32'), classes };
}

/** Collects log lines. */
export function lineSink(): { lines: string[]; log: (line: string) => void } {
  const lines: string[] = [];
  return { lines, log: (line) => lines.push(line) };
}

/** Weights (moving statistics included) and optimizer variables (iteration, learning rate, slots), as flat arrays. */
export async function modelState(model: { getWeights(): Tensor[]; optimizer: { getWeights(): Tensor[] } }): Promise<number[][]> {
  const optimizerVars = model.optimizer.getWeights();
  const slots = await Promise.all(optimizerVars.map(values));
  for (const t of optimizerVars) t.dispose();
  return [...(await weightValues(model)), ...slots];
}

/** What must not grow: everything memory() reports except the reclaim counter. */
export function footprint(m: MemoryInfo): Omit<MemoryInfo, 'backend' | 'numReclaimed'> {
  const { backend: _b, numReclaimed: _r, ...rest } = m;
  return rest;
}

/**
 * Equal, except that pool bytes may differ by a few small buffers: a staging buffer of a read still in
 * flight, or the uniform of the last dispatch, is in the pool or not depending on timing.
 */
export function expectFlat(later: ReturnType<typeof footprint>, first: ReturnType<typeof footprint>): void {
  expect({ ...later, gpuBytesInPool: 0 }).toEqual({ ...first, gpuBytesInPool: 0 });
  expect(Math.abs(later.gpuBytesInPool - first.gpuBytesInPool)).toBeLessThanOrEqual(4096);
}
