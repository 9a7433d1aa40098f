import { afterAll, beforeAll, expect, it } from 'vitest';
import * as S from '@strata/core';
import type { Backend, Tensor } from '@strata/core';
import { BACKENDS } from '../src/backends.ts';
import { TOL, compare, toTensor } from '../src/check.ts';
import { Rng, randomShape } from '../src/random-shapes.ts';
import * as R from '../src/reference.ts';

/**
 * Seeded property test: random programs of 1–4 ops on random shapes (rank 0–4, size-0 and size-1 axes),
 * run on the CPU and WebGPU backends and in the float64 reference; all three must agree. Case i uses seed
 * BASE + i; a failure prints the seed and the command that replays just that case:
 *
 *     FUZZ_SEED=<seed> npx vitest run packages/conformance/test/fuzz.test.ts
 *
 * FUZZ_BASE=<n> explores other seeds. Cases run in batches (one read-back round per batch and backend)
 * until MIN_CASES are done and the time budget is spent, or MAX_CASES.
 */
const BASE = Number(process.env.FUZZ_BASE ?? 1);
const REPLAY = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
const MIN_CASES = 2000;
const MAX_CASES = 6000;
const BUDGET_MS = 20_000;
const BATCH = 250;

interface Step {
  readonly name: string;
  readonly ref: (x: R.Arr) => R.Arr;
  readonly op: (x: Tensor) => Tensor;
}

interface Case {
  readonly seed: number;
  readonly input: R.Arr;
  readonly steps: readonly Step[];
}

const UNARY = ['neg', 'abs', 'relu', 'tanh', 'sigmoid', 'square', 'exp'] as const;
const BINARY = ['add', 'sub', 'mul', 'maximum', 'minimum'] as const;

/** One op that fits an input of `shape`, with any extra operand drawn now; returns the step and its output shape. */
function drawStep(rng: Rng, x: R.Arr): Step {
  const shape = x.shape;
  const rank = shape.length;
  const kinds = ['unary', 'binary', 'binary', ...(rank ? ['reduce', 'transpose', 'slice', 'softmax'] : []), ...(rank === 2 ? ['matmul'] : [])];
  switch (rng.pick(kinds)) {
    case 'unary': {
      // exp only after tanh keeps values in range; the others are bounded or grow mildly
      const name = rng.pick(UNARY);
      const f = S[name];
      return name === 'exp'
        ? { name: 'exp(tanh)', ref: (a) => R.map(R.map(a, Math.tanh), Math.exp), op: (t) => S.exp(S.tanh(t)) }
        : { name, ref: (a) => R.map(a, R.UNARY[name]), op: f };
    }
    case 'binary': {
      const name = rng.pick(BINARY);
      // the other operand: x's shape with leading axes dropped and some axes set to 1 (or the reverse)
      const other = shape.slice(rng.int(0, rank)).map((d) => (rng.next() < 0.3 ? 1 : d));
      const b = R.arr(other, rng.values(R.numel(other), -2, 2));
      const swap = rng.next() < 0.5;
      return {
        name: `${name} ${swap ? 'by' : 'with'} (${other})`,
        ref: (a) => (swap ? R.binary(name, b, a) : R.binary(name, a, b)),
        op: (t) => (swap ? S[name](toTensor(b), t) : S[name](t, toTensor(b))),
      };
    }
    case 'reduce': {
      const which = rng.pick(['sum', 'max'] as const);
      const axis = rng.int(0, rank - 1);
      const keep = rng.next() < 0.5;
      if (which === 'max' && shape[axis] === 0) return drawStep(rng, x); // max over nothing is -Infinity: fine, but then sub gives NaN
      return { name: `${which}(axis ${axis}, keepDims ${keep})`, ref: (a) => R.reduce(a, axis, keep, R.REDUCERS[which]), op: (t) => S[which](t, axis, keep) };
    }
    case 'transpose': {
      const perm = Array.from({ length: rank }, (_, i) => i);
      for (let i = rank - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      return { name: `transpose(${perm})`, ref: (a) => R.permute(a, perm), op: (t) => S.transpose(t, perm) };
    }
    case 'slice': {
      const spec = shape.map((d) => {
        const start = rng.int(0, d);
        return { start, stop: rng.int(start, d) };
      });
      return { name: `slice(${spec.map((s) => `${s.start}:${s.stop}`)})`, ref: (a) => R.index(a, spec), op: (t) => S.slice(t, spec) };
    }
    case 'softmax':
      return { name: 'softmax', ref: (a) => R.softmax(a), op: (t) => S.softmax(t) };
    default: {
      const n = rng.int(1, 6);
      const w = R.arr([shape[1], n], rng.values(shape[1] * n, -1, 1));
      return { name: `matmul (${shape[1]},${n})`, ref: (a) => R.matmul(a, w), op: (t) => S.matmul(t, toTensor(w)) };
    }
  }
}

function drawCase(seed: number): Case {
  const rng = new Rng(seed);
  const shape = randomShape(rng, { maxRank: 4, maxDim: 5, zeroChance: 0.04, oneChance: 0.2 });
  const input = R.arr(shape, rng.values(R.numel(shape), -2, 2));
  const steps: Step[] = [];
  let x = input;
  for (let n = rng.int(1, 4); n > 0; n--) {
    const step = drawStep(rng, x);
    steps.push(step);
    x = step.ref(x);
  }
  return { seed, input, steps };
}

function describeCase(c: Case): string {
  return `seed ${c.seed}: input (${c.input.shape}) → ${c.steps.map((s) => s.name).join(' → ')}`;
}

const backends: Backend[] = [];
beforeAll(async () => {
  for (const b of BACKENDS) {
    const backend = await b.create(); // no adapter: this throws and the test fails, never skips
    S.provideBackend(`fuzz-${b.name}`, backend);
    backends.push(backend);
  }
});
afterAll(async () => {
  for (const b of backends) await b.dispose();
});

/** Every case of `batch` on one backend: final values read back together. */
async function runOn(name: string, batch: readonly Case[]): Promise<R.Arr[]> {
  await S.setBackend(name);
  const outs = batch.map((c) => S.tidy(() => c.steps.reduce((t, s) => s.op(t), toTensor(c.input))));
  try {
    return await Promise.all(outs.map(async (t) => R.arr(t.shape, Array.from(await t.data()))));
  } finally {
    S.dispose(outs);
  }
}

it('random op sequences agree on cpu, webgpu and the float64 reference', async () => {
  const started = performance.now();
  const failures: string[] = [];
  let done = 0;
  const next = (): number[] => (REPLAY !== undefined ? (done ? [] : [REPLAY]) : Array.from({ length: BATCH }, (_, i) => BASE + done + i));
  while (done < MAX_CASES && (done < MIN_CASES || performance.now() - started < BUDGET_MS)) {
    const seeds = next();
    if (!seeds.length) break;
    const batch = seeds.map(drawCase);
    const expected = batch.map((c) => c.steps.reduce((x, s) => s.ref(x), c.input));
    const [cpu, gpu] = [await runOn('fuzz-cpu', batch), await runOn('fuzz-webgpu', batch)];
    batch.forEach((c, i) => {
      const problems = [
        ...compare(cpu[i], 'float32', expected[i], TOL.loose).map((p) => `cpu vs reference: ${p}`),
        ...compare(gpu[i], 'float32', expected[i], TOL.loose).map((p) => `webgpu vs reference: ${p}`),
        ...compare(gpu[i], 'float32', cpu[i], TOL.loose).map((p) => `webgpu vs cpu: ${p}`),
      ];
      if (problems.length) failures.push(`${describeCase(c)}\n    ${problems.join('\n    ')}\n    replay: FUZZ_SEED=${c.seed} npx vitest run packages/conformance/test/fuzz.test.ts`);
    });
    done += seeds.length;
  }
  console.log(`fuzz: ${done} cases (seeds ${REPLAY ?? BASE}…${(REPLAY ?? BASE) + done - 1}) in ${Math.round(performance.now() - started)} ms, ${failures.length} failed`);
  expect(failures.slice(0, 10).join('\n')).toBe('');
  expect(done).toBeGreaterThanOrEqual(REPLAY === undefined ? MIN_CASES : 1);
});
