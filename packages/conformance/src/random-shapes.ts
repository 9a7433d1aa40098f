/**
 * Seeded generators for test inputs: shapes of rank 0–5 with size-1 and size-0 axes, broadcasting pairs of
 * every kind, and float32-exact values. The same seed gives the same cases on every run and backend.
 */

/** mulberry32: a tiny seeded PRNG (uniform in [0, 1)). */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  /** A float32-representable value in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return Math.fround(lo + (hi - lo) * this.next());
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(0, xs.length - 1)];
  }
  values(n: number, lo = -1, hi = 1): number[] {
    return Array.from({ length: n }, () => this.uniform(lo, hi));
  }
  /** Values with |v| in [lo, hi] and a random sign (away from a kink at 0). */
  awayFromZero(n: number, lo = 0.2, hi = 1): number[] {
    return Array.from({ length: n }, () => (this.next() < 0.5 ? -1 : 1) * this.uniform(lo, hi));
  }
  /** n distinct values in [lo, hi), spaced at least `gap` apart (for max/min without ties). */
  distinct(n: number, lo = -1, hi = 1, gap = 0.02): number[] {
    const step = n > 1 ? (hi - lo) / n : 0;
    const slots = Array.from({ length: n }, (_, i) => Math.fround(lo + i * step + this.next() * Math.max(0, step - gap)));
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(0, i);
      [slots[i], slots[j]] = [slots[j], slots[i]];
    }
    return slots;
  }
}

export type Shape = number[];

export interface ShapeOptions {
  minRank?: number;
  maxRank?: number;
  maxDim?: number;
  /** Chance that an axis has size 0. */
  zeroChance?: number;
  /** Chance that an axis has size 1. */
  oneChance?: number;
}

export function randomShape(rng: Rng, o: ShapeOptions = {}): Shape {
  const rank = rng.int(o.minRank ?? 0, o.maxRank ?? 5);
  return Array.from({ length: rank }, () => {
    const r = rng.next();
    if (r < (o.zeroChance ?? 0)) return 0;
    if (r < (o.zeroChance ?? 0) + (o.oneChance ?? 0.2)) return 1;
    return rng.int(2, o.maxDim ?? 4);
  });
}

/**
 * `count` shapes that always include every rank 0–5, a shape with a size-0 axis and one with size-1 axes,
 * then random ones.
 */
export function shapeSuite(rng: Rng, count = 10, maxDim = 4): Shape[] {
  const forced: Shape[] = [0, 1, 2, 3, 4, 5].map((rank) => randomShape(rng, { minRank: rank, maxRank: rank, maxDim, oneChance: 0 }));
  forced.push([2, 0, 3], [1, 3, 1], [0]);
  const extra = Array.from({ length: Math.max(0, count - forced.length) }, () => randomShape(rng, { maxDim, zeroChance: 0.05, oneChance: 0.25 }));
  return [...forced, ...extra];
}

export const BROADCAST_KINDS = [
  'same', // (2,3) and (2,3)
  'missingLeading', // (4,2,3) and (3,)
  'oneLeft', // (2,1) and (2,3): a size-1 axis on the left operand
  'oneRight', // (2,3) and (1,3)
  'oneBoth', // (3,1) and (1,4)
  'scalar', // () and (2,3)
  'sizeZero', // (0,3) and (1,3)
] as const;
export type BroadcastKind = (typeof BROADCAST_KINDS)[number];

export interface BroadcastCase {
  readonly kind: BroadcastKind | 'random';
  readonly a: Shape;
  readonly b: Shape;
}

/** Set axis positions `at` of a shape to 1. */
const ones = (s: Shape, at: readonly number[]): Shape => s.map((d, i) => (at.includes(i) ? 1 : d));

/** A pair of shapes that broadcast in the way `kind` names. */
export function broadcastPair(rng: Rng, kind: BroadcastKind): BroadcastCase {
  const minRank = kind === 'oneBoth' || kind === 'missingLeading' ? 2 : 1;
  const out = randomShape(rng, { minRank, maxRank: 4, maxDim: 4, oneChance: 0 });
  const axis = rng.int(0, out.length - 1);
  const pairs: Record<BroadcastKind, () => [Shape, Shape]> = {
    same: () => [out, out],
    missingLeading: () => [out, out.slice(rng.int(1, out.length - 1))],
    oneLeft: () => [ones(out, [axis]), out],
    oneRight: () => [out, ones(out, [axis])],
    oneBoth: () => [ones(out, [axis]), ones(out, [(axis + 1) % out.length])],
    scalar: () => [[], out],
    sizeZero: () => {
      const zero = out.map((d, i) => (i === axis ? 0 : d));
      return [zero, ones(out, [axis])];
    },
  };
  const [a, b] = pairs[kind]();
  return { kind, a, b };
}

/** A random pair mixing every rule at once: missing leading axes and size-1 axes on either side. */
export function randomBroadcastPair(rng: Rng): BroadcastCase {
  const out = randomShape(rng, { minRank: 0, maxRank: 5, maxDim: 3, oneChance: 0.1 });
  const derive = (): Shape => out.slice(rng.int(0, out.length)).map((d) => (rng.next() < 0.3 ? 1 : d));
  return rng.next() < 0.5 ? { kind: 'random', a: out, b: derive() } : { kind: 'random', a: derive(), b: derive() };
}

/** Every broadcasting kind once (swapped too where the order matters), then `random` mixed pairs. */
export function broadcastSuite(rng: Rng, random = 6): BroadcastCase[] {
  const kinds = BROADCAST_KINDS.map((k) => broadcastPair(rng, k));
  const swapped = kinds.filter((c) => c.kind === 'missingLeading' || c.kind === 'scalar' || c.kind === 'sizeZero').map((c) => ({ ...c, a: c.b, b: c.a }));
  return [...kinds, ...swapped, ...Array.from({ length: random }, () => randomBroadcastPair(rng))];
}

/** Which broadcasting rules a pair exercises (used to check the generator covers them all). */
export function classifyPair(a: Shape, b: Shape): Set<BroadcastKind> {
  const kinds = new Set<BroadcastKind>();
  const rank = Math.max(a.length, b.length);
  const da = (i: number): number => a[a.length - rank + i] ?? 1;
  const db = (i: number): number => b[b.length - rank + i] ?? 1;
  if (a.length === b.length && a.every((d, i) => d === b[i])) kinds.add('same');
  if (a.length !== b.length) kinds.add('missingLeading');
  if ((a.length === 0) !== (b.length === 0)) kinds.add('scalar');
  const left = Array.from({ length: rank }, (_, i) => i).filter((i) => i >= rank - a.length && da(i) === 1 && db(i) !== 1);
  const right = Array.from({ length: rank }, (_, i) => i).filter((i) => i >= rank - b.length && db(i) === 1 && da(i) !== 1);
  if (left.length) kinds.add('oneLeft');
  if (right.length) kinds.add('oneRight');
  if (left.length && right.length) kinds.add('oneBoth');
  if (Array.from({ length: rank }, (_, i) => i).some((i) => da(i) * db(i) === 0 && da(i) + db(i) === 1)) kinds.add('sizeZero');
  return kinds;
}
