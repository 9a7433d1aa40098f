/**
 * The counter-based generator every backend implements identically (the WGSL copy lives in
 * shaders/random.wgsl). Value i of a tensor seeded with s depends only on (s, i).
 */

/** PCG output hash of one 32-bit word (Jarzynski & Olano, "Hash Functions for GPU Rendering", 2020). */
export function pcgHash(v: number): number {
  const state = (Math.imul(v >>> 0, 747796405) + 2891336453) >>> 0;
  const word = Math.imul(((state >>> ((state >>> 28) + 4)) ^ state) >>> 0, 277803737) >>> 0;
  return ((word >>> 22) ^ word) >>> 0;
}

/** 32 random bits for element i of a tensor with the given seed. */
export function randomBits(seed: number, i: number): number {
  return pcgHash((pcgHash(seed >>> 0) + (i >>> 0)) >>> 0);
}

const TWO_POW_MINUS_24 = 1 / 16777216;

/** Uniform in [0, 1) with 24 bits, exactly representable in float32. */
export function uniform01(seed: number, i: number): number {
  return (randomBits(seed, i) >>> 8) * TWO_POW_MINUS_24;
}

/** Standard normal by Box–Muller over the pair of draws (2i, 2i+1). */
export function standardNormal(seed: number, i: number): number {
  const u1 = ((randomBits(seed, 2 * i) >>> 8) + 1) * TWO_POW_MINUS_24; // (0, 1]: log stays finite
  const u2 = (randomBits(seed, 2 * i + 1) >>> 8) * TWO_POW_MINUS_24;
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** The global seed stream set by `setRandomSeed`: seeds are drawn from it in call order. */
let globalStream: { seed: number; next: number } | undefined;

/**
 * Make every unseeded random draw (initializers, dropout, fit's shuffling, random ops) reproducible, as
 * Keras's `keras.utils.set_random_seed`: the same program with the same seed gives the same numbers.
 * `undefined` returns to fresh, unpredictable seeds.
 */
export function setRandomSeed(seed: number | undefined): void {
  if (seed !== undefined && !Number.isInteger(seed)) throw new Error(`setRandomSeed: the seed must be an integer, got ${seed}`);
  globalStream = seed === undefined ? undefined : { seed: seed >>> 0, next: 0 };
}

/** A seed for calls that give none: the next from `setRandomSeed`'s stream, or a fresh one. */
export function randomSeed(): number {
  if (globalStream) return randomBits(globalStream.seed, globalStream.next++);
  return Math.floor(Math.random() * 0xffffffff) >>> 0;
}
