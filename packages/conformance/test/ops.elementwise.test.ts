import { expect, it } from 'vitest';
import * as S from '@strata/core';
import { ARITHMETIC_OPS, COMPARE_OPS, UNARY_OPS, type ArithmeticOp, type CompareOp, type UnaryOp } from '@strata/core';
import { forEachBackend } from '../src/harness.ts';
import { Checks, TOL, toTensor, type Tol } from '../src/check.ts';
import { BINARY_FNS, UNARY_FNS } from '../src/ops.ts';
import { Rng, broadcastSuite, shapeSuite } from '../src/random-shapes.ts';
import * as R from '../src/reference.ts';

/** Input values per unary op: inside its domain, and away from points where float32 and float64 disagree. */
const UNARY_INPUT: Record<UnaryOp, (rng: Rng, n: number) => number[]> = {
  neg: (r, n) => r.values(n, -5, 5),
  abs: (r, n) => r.values(n, -5, 5),
  exp: (r, n) => r.values(n, -5, 5),
  log: (r, n) => r.values(n, 0.05, 5),
  sqrt: (r, n) => r.values(n, 0, 5),
  rsqrt: (r, n) => r.values(n, 0.05, 5),
  square: (r, n) => r.values(n, -5, 5),
  relu: (r, n) => r.values(n, -5, 5),
  sigmoid: (r, n) => r.values(n, -8, 8),
  tanh: (r, n) => r.values(n, -4, 4),
  sign: (r, n) => r.values(n, -2, 2).map((v, i) => (i % 5 === 0 ? 0 : v)),
  floor: (r, n) => r.values(n, -5, 5),
  ceil: (r, n) => r.values(n, -5, 5),
  round: (r, n) => r.values(n, -5, 5),
  reciprocal: (r, n) => r.awayFromZero(n, 0.1, 5),
  sin: (r, n) => r.values(n, -7, 7),
  cos: (r, n) => r.values(n, -7, 7),
  logicalNot: (r, n) => Array.from({ length: n }, () => r.int(-1, 1)),
};

const TRANSCENDENTAL = new Set<string>(['exp', 'log', 'sqrt', 'rsqrt', 'sigmoid', 'tanh', 'reciprocal', 'sin', 'cos', 'pow', 'div', 'mod']);
const tolFor = (op: string): Tol => (TRANSCENDENTAL.has(op) ? TOL.loose : TOL.float);

/** Input values per binary op (a, b). Comparisons use small integers so that ties happen. */
const BINARY_INPUT: Record<ArithmeticOp | CompareOp, (rng: Rng, na: number, nb: number) => [number[], number[]]> = {
  add: (r, na, nb) => [r.values(na, -5, 5), r.values(nb, -5, 5)],
  sub: (r, na, nb) => [r.values(na, -5, 5), r.values(nb, -5, 5)],
  mul: (r, na, nb) => [r.values(na, -5, 5), r.values(nb, -5, 5)],
  div: (r, na, nb) => [r.values(na, -5, 5), r.awayFromZero(nb, 0.2, 5)],
  pow: (r, na, nb) => [r.values(na, 0.1, 3), r.values(nb, -2, 2)],
  maximum: (r, na, nb) => [r.values(na, -2, 2), r.values(nb, -2, 2)],
  minimum: (r, na, nb) => [r.values(na, -2, 2), r.values(nb, -2, 2)],
  mod: (r, na, nb) => [r.values(na, -5, 5), r.awayFromZero(nb, 0.5, 3)],
  ...Object.fromEntries(COMPARE_OPS.map((op) => [op, (r: Rng, na: number, nb: number) => [ints(r, na), ints(r, nb)]])),
} as Record<ArithmeticOp | CompareOp, (rng: Rng, na: number, nb: number) => [number[], number[]]>;

function ints(r: Rng, n: number): number[] {
  return Array.from({ length: n }, () => r.int(-1, 1));
}

forEachBackend(() => {
  it('every unary op matches the float64 reference on shapes of rank 0–5 (size-0 and size-1 axes too)', async () => {
    const rng = new Rng(11);
    const shapes = shapeSuite(rng, 10);
    const c = new Checks();
    for (const op of UNARY_OPS) {
      for (const shape of shapes) {
        const x = R.arr(shape, UNARY_INPUT[op](rng, R.numel(shape)));
        const dtype = op === 'logicalNot' ? 'bool' : 'float32';
        c.close(`${op} (${shape})`, () => UNARY_FNS[op](toTensor(x)), R.map(x, R.UNARY[op]), tolFor(op), dtype);
      }
    }
    await c.done();
  });

  it('every binary op broadcasts like numpy (every broadcasting kind, both orders)', async () => {
    const rng = new Rng(12);
    const pairs = broadcastSuite(rng, 6);
    const c = new Checks();
    for (const op of [...ARITHMETIC_OPS, ...COMPARE_OPS]) {
      for (const { kind, a: sa, b: sb } of pairs) {
        const [va, vb] = BINARY_INPUT[op](rng, R.numel(sa), R.numel(sb));
        const a = R.arr(sa, va);
        const b = R.arr(sb, vb);
        const dtype = (COMPARE_OPS as readonly string[]).includes(op) ? 'bool' : 'float32';
        c.close(`${op} (${sa}) (${sb}) [${kind}]`, () => BINARY_FNS[op](toTensor(a), toTensor(b)), R.binary(op, a, b), tolFor(op), dtype);
      }
    }
    await c.done();
  });

  it('binary ops accept plain numbers on either side', async () => {
    const x = R.arr([2, 3], [-2, -1, 0, 1, 2, 3]);
    const two = R.arr([], [2]);
    const c = new Checks();
    for (const op of [...ARITHMETIC_OPS, ...COMPARE_OPS]) {
      c.close(`${op}(x, 2)`, () => BINARY_FNS[op](toTensor(x), 2), R.binary(op, x, two), tolFor(op));
      c.close(`${op}(2, x)`, () => BINARY_FNS[op](2, toTensor(x)), R.binary(op, two, x), tolFor(op));
    }
    await c.done();
  });

  it('where selects with a broadcast bool condition; clipByValue clamps', async () => {
    const rng = new Rng(13);
    const c = new Checks();
    for (const { a: sa, b: sb } of broadcastSuite(rng, 4)) {
      const condShape = sa.map((d) => (rng.next() < 0.5 ? 1 : d));
      const cond = R.arr(condShape, ints(rng, R.numel(condShape)).map((v) => (v > 0 ? 1 : 0)));
      const a = R.arr(sa, rng.values(R.numel(sa)));
      const b = R.arr(sb, rng.values(R.numel(sb)));
      c.close(`where (${condShape}) (${sa}) (${sb})`, () => S.where(toTensor(cond, 'bool'), toTensor(a), toTensor(b)), R.where(cond, a, b));
    }
    const x = R.arr([7], [-3, -1, -0.5, 0, 0.5, 1, 3]);
    c.close('clipByValue(x, -1, 0.5)', () => S.clipByValue(toTensor(x), -1, 0.5), R.map(x, (v) => Math.min(Math.max(v, -1), 0.5)));
    c.close('where(x > 0, x, 0)', () => S.where(S.greater(toTensor(x), 0), toTensor(x), 0), R.map(x, (v) => (v > 0 ? v : 0)));
    await c.done();
  });

  it('edge values follow numpy (round half to even, log(0), sqrt(-1), mod signs, NaN in max)', async () => {
    const c = new Checks();
    const halves = R.arr([8], [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 3.5, 0.49999997]);
    c.close('round halves', () => S.round(toTensor(halves)), R.map(halves, R.roundHalfEven));
    const special = R.arr([5], [0, -1, Infinity, -Infinity, NaN]);
    for (const op of ['log', 'sqrt', 'exp', 'tanh', 'sigmoid', 'abs', 'sign', 'relu'] as const) {
      c.close(`${op} of 0, -1, ±inf, NaN`, () => UNARY_FNS[op](toTensor(special)), R.map(special, R.UNARY[op]), TOL.loose);
    }
    const a = R.arr([4], [7, -7, 7, -7]);
    const b = R.arr([4], [3, 3, -3, -3]);
    c.close('float mod signs follow the divisor', () => S.mod(toTensor(a), toTensor(b)), R.binary('mod', a, b));
    c.close('int32 mod signs follow the divisor', () => S.mod(toTensor(a, 'int32'), toTensor(b, 'int32')), R.binary('mod', a, b), TOL.exact, 'int32');
    const n = R.arr([3], [NaN, 1, 2]);
    const m = R.arr([3], [0, NaN, 1]);
    c.close('maximum propagates NaN', () => S.maximum(toTensor(n), toTensor(m)), R.binary('maximum', n, m));
    c.close('minimum propagates NaN', () => S.minimum(toTensor(n), toTensor(m)), R.binary('minimum', n, m));
    c.close('NaN != NaN', () => S.notEqual(toTensor(n), toTensor(n)), R.binary('notEqual', n, n), TOL.exact, 'bool');
    const base = R.arr([4], [-2, -2, 0, 0]);
    const ex = R.arr([4], [3, 0.5, 0, -1]);
    c.close('pow: negative base, 0^0, 0^-1', () => S.pow(toTensor(base), toTensor(ex)), R.binary('pow', base, ex));
    await c.done();
  });
});

/** A random program over `inputs` values: safe ops only (bounded inputs stay finite), 1–3 levels deep. */
type Program = { readonly fused: (xs: S.Fusable[]) => S.Fusable; readonly f64: (xs: number[]) => number };
const SAFE_UNARY = ['neg', 'abs', 'square', 'relu', 'sigmoid', 'tanh', 'sin', 'cos'] as const;
const SAFE_BINARY = ['add', 'sub', 'mul', 'maximum', 'minimum'] as const;

function randomProgram(rng: Rng, inputs: number, depth: number): Program {
  const pick = rng.next();
  if (depth === 0 || pick < 0.2) {
    if (rng.next() < 0.25) {
      const c = rng.uniform(-2, 2);
      // a constant needs a value of the program to attach to: input 0 times zero plus c
      return { fused: (xs) => xs[0].mul(0).add(c), f64: () => Math.fround(c) };
    }
    const i = rng.int(0, inputs - 1);
    return { fused: (xs) => xs[i], f64: (xs) => xs[i] };
  }
  if (pick < 0.5) {
    const op = SAFE_UNARY[rng.int(0, SAFE_UNARY.length - 1)];
    const x = randomProgram(rng, inputs, depth - 1);
    return { fused: (xs) => x.fused(xs)[op](), f64: (xs) => R.UNARY[op](x.f64(xs)) };
  }
  const op = SAFE_BINARY[rng.int(0, SAFE_BINARY.length - 1)];
  const [a, b] = [randomProgram(rng, inputs, depth - 1), randomProgram(rng, inputs, depth - 1)];
  return { fused: (xs) => a.fused(xs)[op](b.fused(xs)), f64: (xs) => R.BINARY[op](a.f64(xs), b.f64(xs)) };
}

forEachBackend(() => {
  it('fuse: every float unary and arithmetic op inside a program matches float64, with scalar inputs and constants', async () => {
    const rng = new Rng(14);
    const shapes = shapeSuite(rng, 8);
    const c = new Checks();
    const scale = R.arr([], [1.5]);
    for (const op of UNARY_OPS.filter((u) => u !== 'logicalNot')) {
      for (const shape of shapes) {
        const x = R.arr(shape, UNARY_INPUT[op](rng, R.numel(shape)));
        const expected = R.zip([x, scale], (v, s) => R.UNARY[op](v) * s + 0.25);
        c.close(`fuse x.${op}().mul(s).add(0.25) (${shape})`, () => S.fuse([toTensor(x), toTensor(scale)], (v, s) => v[op]().mul(s).add(0.25)), expected, tolFor(op));
      }
    }
    for (const op of ARITHMETIC_OPS) {
      for (const shape of shapes) {
        const [va, vb] = BINARY_INPUT[op](rng, R.numel(shape), R.numel(shape) + 1);
        const [a, b, one] = [R.arr(shape, va), R.arr(shape, vb.slice(1)), R.arr([1], vb.slice(0, 1))];
        c.close(`fuse a.${op}(b) (${shape})`, () => S.fuse([toTensor(a), toTensor(b)], (x, y) => x[op](y)), R.binary(op, a, b), tolFor(op));
        c.close(`fuse a.${op}(b) (${shape}) (1)`, () => S.fuse([toTensor(a), toTensor(one)], (x, y) => x[op](y)), R.binary(op, a, one), tolFor(op));
        c.close(`fuse a.${op}(${vb[0]}) (${shape})`, () => S.fuse([toTensor(a)], (x) => x[op](vb[0])), R.map(a, (v) => R.BINARY[op](v, Math.fround(vb[0]))), tolFor(op));
      }
    }
    await c.done();
  });

  it('fuse: random programs of 1–3 inputs agree with float64 (vec4 and odd sizes, size 0, all-scalar inputs)', async () => {
    const rng = new Rng(15);
    const c = new Checks();
    const shapes = [[0], [1], [7], [3, 8], [2, 3, 5], [4, 1, 16], [1030]];
    for (let t = 0; t < 40; t++) {
      const inputs = rng.int(1, 3);
      const program = randomProgram(rng, inputs, 3);
      const shape = shapes[t % shapes.length];
      // input 0 has the output's shape; the others have it or one element
      const xs = Array.from({ length: inputs }, (_, i) => {
        const s = i > 0 && rng.next() < 0.4 ? [] : shape;
        return R.arr(s, rng.values(R.numel(s), -2, 2));
      });
      c.close(`fuse program ${t} on (${xs.map((x) => `[${x.shape}]`).join(' ')})`, () => S.fuse(xs.map((x) => toTensor(x)), (...v) => program.fused(v)), R.zip(xs, (...v) => program.f64(v)), TOL.loose);
    }
    const scalars = [R.arr([1, 1], [0.5]), R.arr([], [3])];
    c.close('fuse on inputs of one element each', () => S.fuse(scalars.map((x) => toTensor(x)), (a, b) => a.mul(b).exp()), R.arr([1, 1], [Math.exp(1.5)]), TOL.loose);
    const x = R.arr([2, 4], rng.values(8));
    c.close('fuse returning an input copies it', () => S.fuse([toTensor(x)], (v) => v), x);
    c.close('fuse whose result ignores the full-size input still has its shape', () => S.fuse([toTensor(x), S.scalar(2)], (_, s) => s.square()), R.map(x, () => 4));
    await c.done();
  });

  it('fuse: bad programs and inputs are refused with the problem named', () => {
    const x = S.tensor([1, 2, 3]);
    const ints = S.tensor([1, 2, 3], [3], 'int32');
    const wide = S.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const column = S.tensor([1, 2], [2, 1]);
    expect(() => S.fuse([x, ints], (a, b) => a.add(b))).toThrow('fuse: input 1 is int32; every input must be float32');
    expect(() => S.fuse([x, S.tensor([1, 2])], (a, b) => a.add(b))).toThrow('fuse: shapes (3,) and (2,) cannot be broadcast together');
    expect(() => S.fuse([wide, x], (a, b) => a.add(b))).toThrow("fuse: input 1 has shape (3,); every input must have the output's 6 elements (shape (2,3)) or one element");
    expect(() => S.fuse([column, wide], (a, b) => a.add(b))).toThrow("fuse: input 0 has shape (2,1)");
    expect(() => S.fuse([x], () => 3 as unknown as S.Fusable)).toThrow('fuse: the program must return a value computed from its arguments');
    let stray: S.Fusable | undefined;
    S.fuse([x], (a) => (stray = a));
    expect(() => S.fuse([x], (a) => a.add(stray!))).toThrow('fuse: add takes a number or a value of the same program');
    expect(() => S.fuse([], () => stray!)).toThrow('fuse: give at least one input tensor');
    S.dispose([x, ints, wide, column]);
  });
});
