import { expect, it } from 'vitest';
import * as S from '@strata/core';
import { GRAD_OPS, type GradOp, type Tensor } from '@strata/core';
import { forEachBackend } from '../src/harness.ts';
import { Checks, toTensor, type Tol } from '../src/check.ts';
import { UNARY_FNS } from '../src/ops.ts';
import { Rng } from '../src/random-shapes.ts';
import * as R from '../src/reference.ts';
import { gruCell as gruCellRef, lstmCell as lstmCellRef } from '../src/reference-rnn.ts';
import { col2imGradCases, conv2dGradCases, im2colGradCases } from '../src/conv-cases.ts';

/**
 * One gradient check: `forward` on the backend under test (inputs are the float32 variables), and the same
 * function in float64 on the reference, which the finite differences evaluate.
 */
interface GradCase {
  readonly label: string;
  readonly inputs: readonly R.Arr[];
  readonly forward: (xs: readonly Tensor[]) => Tensor;
  readonly reference: (xs: readonly R.Arr[]) => R.Arr;
}

const GRAD_TOL: Tol = { rtol: 2e-3, atol: 2e-4 };

const rng = new Rng(61);
const rand = (shape: number[], lo = -2, hi = 2): R.Arr => R.arr(shape, rng.values(R.numel(shape), lo, hi));
/** Re-draw until `ok` holds (keeps inputs away from kinks). */
function until<T>(draw: () => T, ok: (v: T) => boolean): T {
  for (;;) {
    const v = draw();
    if (ok(v)) return v;
  }
}

function unaryCase(op: GradOp & S.UnaryOp, values: (n: number) => number[]): () => GradCase[] {
  return () => [{
    label: op,
    inputs: [R.arr([2, 3], values(6))],
    forward: ([x]) => UNARY_FNS[op](x),
    reference: ([x]) => R.map(x, R.UNARY[op]),
  }];
}

/** Fractional parts in [0.1, 0.4]: away from the jumps of floor/ceil (integers) and round (halves). */
const offGrid = (n: number): number[] => Array.from({ length: n }, () => rng.int(-3, 3) + rng.uniform(0.1, 0.4));

/** Two cases per binary op: equal shapes, and (2,1) with (3,), which broadcasts both operands. */
function binaryCase(op: GradOp & S.ArithmeticOp, draw: (sa: number[], sb: number[]) => [R.Arr, R.Arr]): () => GradCase[] {
  const pairs: [number[], number[]][] = [[[2, 3], [2, 3]], [[2, 1], [3]]];
  return () => pairs.map(([sa, sb]) => ({
    label: `${op} (${sa}) (${sb})`,
    inputs: draw(sa, sb),
    forward: ([a, b]) => S[op](a, b),
    reference: ([a, b]) => R.binary(op, a, b),
  }));
}

const plain = (lo = -2, hi = 2) => (sa: number[], sb: number[]): [R.Arr, R.Arr] => [rand(sa, lo, hi), rand(sb, lo, hi)];
/** Operand pairs where every broadcast pair satisfies `ok`. */
const pairWhere = (draw: (sa: number[], sb: number[]) => [R.Arr, R.Arr], ok: (a: number, b: number) => boolean) =>
  (sa: number[], sb: number[]): [R.Arr, R.Arr] => until(() => draw(sa, sb), ([a, b]) => R.zip([a, b], (x, y) => Number(ok(x, y))).data.every(Boolean));

type Axis = number | number[] | undefined;
function reduceCase(op: 'sum' | 'prod' | 'max' | 'min', values: (n: number) => number[]): () => GradCase[] {
  const forms: [Axis, boolean][] = [[undefined, false], [1, false], [[0, 2], true]];
  return () => forms.map(([axis, keepDims]) => ({
    label: `${op} axis=${JSON.stringify(axis)} keepDims=${keepDims}`,
    inputs: [R.arr([2, 3, 4], values(24))],
    forward: ([x]) => S[op](x, axis, keepDims),
    reference: ([x]) => R.reduce(x, axis, keepDims, R.REDUCERS[op]),
  }));
}

function matmulCases(): GradCase[] {
  const cases: [number[], number[], boolean, boolean][] = [
    [[3, 4], [4, 2], false, false], [[4, 3], [4, 2], true, false], [[3, 4], [2, 4], false, true], [[4, 3], [2, 4], true, true],
    [[2, 3, 4], [2, 4, 2], false, false], [[2, 3, 4], [4, 2], false, false], [[3, 4], [2, 4, 2], false, false], [[2, 4, 3], [2, 4], true, true],
  ];
  return cases.map(([sa, sb, ta, tb]) => ({
    label: `matmul (${sa}) (${sb}) transA=${ta} transB=${tb}`,
    inputs: [rand(sa), rand(sb)],
    forward: ([a, b]) => S.matmul(a, b, ta, tb),
    reference: ([a, b]) => R.matmul(a, b, ta, tb),
  }));
}

function denseCases(): GradCase[] {
  const x = rand([3, 4]);
  const w = rand([4, 2]);
  const bias = rand([2]);
  const away = (xs: readonly R.Arr[]): boolean => R.dense(xs[0], xs[1], xs[2]).data.every((v) => Math.abs(v) > 0.05);
  return [
    { label: 'dense', inputs: [x, w], forward: ([a, b]) => S.dense(a, b), reference: ([a, b]) => R.dense(a, b) },
    { label: 'dense +bias', inputs: [x, w, bias], forward: ([a, b, c]) => S.dense(a, b, c), reference: ([a, b, c]) => R.dense(a, b, c) },
    {
      label: 'dense +bias relu',
      inputs: until(() => [rand([3, 4]), rand([4, 2]), rand([2])], away),
      forward: ([a, b, c]) => S.dense(a, b, c, 'relu'),
      reference: ([a, b, c]) => R.dense(a, b, c, 'relu'),
    },
  ];
}

function sliceCases(): GradCase[] {
  const specs: [string, R.Index[]][] = [['1:3, -3:', [{ start: 1, stop: 3 }, { start: -3 }]], ['2', [2]], [':, 1', [null, 1]]];
  return specs.map(([text, typed]) => ({
    label: `slice '${text}'`,
    inputs: [rand([4, 5])],
    forward: ([x]) => S.slice(x, text),
    reference: ([x]) => R.index(x, typed),
  }));
}

function softmaxCases(op: 'softmax' | 'logSoftmax'): GradCase[] {
  const forms: [number[], number][] = [[[2, 4], -1], [[3, 2], 0], [[2, 3, 2], 1]];
  return forms.map(([shape, axis]) => ({
    label: `${op} (${shape}) axis ${axis}`,
    inputs: [rand(shape)],
    forward: ([x]) => S[op](x, axis),
    reference: ([x]) => R[op](x, axis),
  }));
}

const COND = R.arr([2, 3], [1, 0, 0, 1, 1, 0]);
const XR = R.arr([2, 3], [0.5, -1, 2, 1, 0.25, -0.5]);
const YR = R.arr([2, 3], [0, 1, 0, 1, 0, 0]);

/** A check for every differentiable op: typed over GradOp, so a new GRAD_OPS entry without one is a compile error. */
const GRAD_CASES: Record<GradOp, () => GradCase[]> = {
  neg: unaryCase('neg', (n) => rng.values(n, -2, 2)),
  abs: unaryCase('abs', (n) => rng.awayFromZero(n, 0.2, 2)),
  exp: unaryCase('exp', (n) => rng.values(n, -2, 2)),
  log: unaryCase('log', (n) => rng.values(n, 0.3, 3)),
  sqrt: unaryCase('sqrt', (n) => rng.values(n, 0.3, 3)),
  rsqrt: unaryCase('rsqrt', (n) => rng.values(n, 0.3, 3)),
  square: unaryCase('square', (n) => rng.values(n, -2, 2)),
  relu: unaryCase('relu', (n) => rng.awayFromZero(n, 0.2, 2)),
  sigmoid: unaryCase('sigmoid', (n) => rng.values(n, -3, 3)),
  tanh: unaryCase('tanh', (n) => rng.values(n, -2, 2)),
  reciprocal: unaryCase('reciprocal', (n) => rng.awayFromZero(n, 0.3, 2)),
  sin: unaryCase('sin', (n) => rng.values(n, -3, 3)),
  cos: unaryCase('cos', (n) => rng.values(n, -3, 3)),
  sign: unaryCase('sign', (n) => rng.awayFromZero(n, 0.2, 2)),
  floor: unaryCase('floor', offGrid),
  ceil: unaryCase('ceil', offGrid),
  round: unaryCase('round', offGrid),

  add: binaryCase('add', plain()),
  sub: binaryCase('sub', plain()),
  mul: binaryCase('mul', plain()),
  div: binaryCase('div', pairWhere(plain(), (_, b) => Math.abs(b) > 0.4)),
  pow: binaryCase('pow', (sa, sb) => [rand(sa, 0.5, 2), rand(sb, -1.5, 1.5)]),
  maximum: binaryCase('maximum', pairWhere(plain(), (a, b) => Math.abs(a - b) > 0.05)),
  minimum: binaryCase('minimum', pairWhere(plain(), (a, b) => Math.abs(a - b) > 0.05)),
  mod: binaryCase('mod', pairWhere(plain(0.5, 4), (a, b) => {
    const q = a / b;
    return q - Math.floor(q) > 0.05 && Math.ceil(q) - q > 0.05;
  })),
  where: () => [{
    label: 'where (2,3) cond, (2,3) and (3,) branches',
    inputs: [rand([2, 3]), rand([3])],
    forward: ([a, b]) => S.where(toTensor(COND, 'bool'), a, b),
    reference: ([a, b]) => R.where(COND, a, b),
  }],

  sum: reduceCase('sum', (n) => rng.values(n)),
  prod: reduceCase('prod', (n) => rng.awayFromZero(n, 0.5, 1.5)),
  max: reduceCase('max', (n) => rng.distinct(n, -2, 2, 0.05)),
  min: reduceCase('min', (n) => rng.distinct(n, -2, 2, 0.05)),

  matmul: matmulCases,
  dense: denseCases,
  reshape: () => [
    { label: 'reshape (2,3,4) → (4,-1)', inputs: [rand([2, 3, 4])], forward: ([x]) => S.reshape(x, [4, -1]), reference: ([x]) => R.reshape(x, [4, 6]) },
    { label: 'expandDims + squeeze + flatten', inputs: [rand([2, 3])], forward: ([x]) => S.flatten(S.squeeze(S.expandDims(x, 1))), reference: ([x]) => R.reshape(x, [6]) },
  ],
  permute: () => [
    { label: 'transpose (2,3,4) [2,0,1]', inputs: [rand([2, 3, 4])], forward: ([x]) => S.transpose(x, [2, 0, 1]), reference: ([x]) => R.permute(x, [2, 0, 1]) },
    { label: 'transpose (3,2) default', inputs: [rand([3, 2])], forward: ([x]) => S.transpose(x), reference: ([x]) => R.permute(x) },
  ],
  slice: sliceCases,
  concat: () => [
    { label: 'concat axis 1', inputs: [rand([2, 3]), rand([2, 2])], forward: (xs) => S.concat(xs, 1), reference: (xs) => R.concat(xs, 1) },
    { label: 'concat axis 0 of three', inputs: [rand([1, 3]), rand([2, 3]), rand([1, 3])], forward: (xs) => S.concat(xs, 0), reference: (xs) => R.concat(xs, 0) },
    { label: 'stack axis 1', inputs: [rand([2, 3]), rand([2, 3])], forward: (xs) => S.stack(xs, 1), reference: (xs) => R.stack(xs, 1) },
  ],
  gather: () => [{
    label: 'gather rows [3,0,3,1] (a repeated row sums its gradients)',
    inputs: [rand([4, 3])],
    forward: ([x]) => S.gather(x, [3, 0, 3, 1]),
    reference: ([x]) => R.gather(x, [3, 0, 3, 1]),
  }],
  cast: () => [{ label: 'cast float32 → float32', inputs: [rand([2, 3])], forward: ([x]) => S.cast(x, 'float32'), reference: ([x]) => x }],
  im2col: () => im2colGradCases((shape) => rand(shape), (shape) => R.arr(shape, rng.distinct(R.numel(shape), -2, 2, 0.02))),
  col2im: () => col2imGradCases((shape) => rand(shape)),
  conv2d: () => conv2dGradCases((shape) => rand(shape)),
  softmax: () => softmaxCases('softmax'),
  logSoftmax: () => softmaxCases('logSoftmax'),
  // units 3 (not a multiple of 4) and 4; batch 2
  lstmCell: () => [3, 4].map((u) => ({
    label: `lstmCell units ${u}`,
    inputs: [rand([2, 4 * u]), rand([2, u])],
    forward: ([z, c]) => S.lstmCell(z, c),
    reference: ([z, c]) => lstmCellRef(z, c),
  })),
  gruCell: () => [3, 4].map((u) => ({
    label: `gruCell units ${u}`,
    inputs: [rand([2, 4 * u]), rand([2, u])],
    forward: ([m, h]) => S.gruCell(m, h),
    reference: ([m, h]) => gruCellRef(m, h),
  })),
};

/** Public ops composed from the ones above: their gradients flow through several rules. */
const COMPOSITE_CASES: (() => GradCase)[] = [
  () => ({ label: 'mean axis 1', inputs: [rand([2, 3])], forward: ([x]) => S.mean(x, 1), reference: ([x]) => R.reduce(x, 1, false, R.REDUCERS.mean) }),
  () => ({ label: 'logSumExp axis -1', inputs: [rand([2, 3])], forward: ([x]) => S.logSumExp(x, -1), reference: ([x]) => R.reduce(x, -1, false, R.REDUCERS.logSumExp) }),
  () => ({ label: 'dot (2,3)·(3,)', inputs: [rand([2, 3]), rand([3])], forward: ([a, b]) => S.dot(a, b), reference: ([a, b]) => R.dot(a, b) }),
  () => ({ label: 'dot (2,3,4)·(2,4,2)', inputs: [rand([2, 3, 4]), rand([2, 4, 2])], forward: ([a, b]) => S.dot(a, b), reference: ([a, b]) => R.dot(a, b) }),
  () => ({
    label: 'clipByValue [-0.5, 0.5]',
    inputs: [R.arr([6], [-1, -0.3, 0.1, 0.45, 0.8, -0.6])],
    forward: ([x]) => S.clipByValue(x, -0.5, 0.5),
    reference: ([x]) => R.map(x, (v) => Math.min(Math.max(v, -0.5), 0.5)),
  }),
  () => ({
    label: 'a two-layer network with softmax cross-entropy',
    inputs: [rand([3, 4], -1, 1), rand([4], -0.5, 0.5), rand([4, 3], -1, 1)],
    forward: ([w1, b1, w2]) => S.neg(S.sum(S.mul(S.logSoftmax(S.matmul(S.relu(S.add(S.matmul(toTensor(XR), w1), b1)), w2)), toTensor(YR)), -1)),
    reference: ([w1, b1, w2]) => R.map(R.reduce(R.binary('mul', R.logSoftmax(R.matmul(R.map(R.binary('add', R.matmul(XR, w1), b1), R.UNARY.relu), w2)), YR), -1, false, R.REDUCERS.sum), (v) => -v),
  }),
];

/** Gradient of Σ weights ⊙ reference(xs) with respect to each input, by central differences in float64. */
function numericGrads(c: GradCase, weights: R.Arr): R.Arr[] {
  const loss = (xs: readonly R.Arr[]): number => c.reference(xs).data.reduce((s, v, i) => s + v * weights.data[i], 0);
  return c.inputs.map((input, k) => R.arr(input.shape, input.data.map((v, i) => {
    const h = 1e-6 * Math.max(1, Math.abs(v));
    const shifted = (d: number): R.Arr[] => c.inputs.map((x, j) => (j === k ? R.arr(x.shape, x.data.map((u, m) => (m === i ? v + d : u))) : x));
    return (loss(shifted(h)) - loss(shifted(-h))) / (2 * h);
  })));
}

/** Compare valueAndGrad of Σ weights ⊙ forward(xs) on the backend with the float64 finite differences. */
function checkGradient(checks: Checks, c: GradCase): void {
  const expected = c.reference(c.inputs);
  const weights = R.arr(expected.shape, rng.awayFromZero(R.numel(expected.shape), 0.5, 1.5));
  const numeric = numericGrads(c, weights);
  const vars = c.inputs.map((x) => toTensor(x));
  const w = toTensor(weights);
  try {
    const { value, grads } = S.valueAndGrad(() => S.sum(S.mul(c.forward(vars), w)), vars);
    checks.closeTensor(`${c.label}: value`, value, R.arr([], [R.REDUCERS.sum(R.binary('mul', expected, weights).data)]), GRAD_TOL);
    grads.forEach((g, k) => checks.closeTensor(`${c.label}: d/dx${k}`, g, numeric[k], GRAD_TOL));
  } catch (err) {
    checks.fail(c.label, `threw ${(err as Error).message}`);
  }
  S.dispose([vars, w]);
}

/** [what, a function of x whose only path to x is non-differentiable, the op the message must name]. */
const BLOCKED: [string, (x: Tensor) => Tensor, string][] = [
  ['argmax', (x) => S.cast(S.argmax(x), 'float32'), 'argmax'],
  ['argmin', (x) => S.cast(S.argmin(x, 0), 'float32'), 'argmin'],
  ['greater', (x) => S.cast(S.greater(x, 0), 'float32'), 'greater'],
  ['equal', (x) => S.where(S.equal(x, 1), 1, 0), 'equal'],
  ['cast to int32', (x) => S.cast(S.cast(x, 'int32'), 'float32'), 'cast'],
  ['logicalNot', (x) => S.cast(S.logicalNot(x), 'float32'), 'logicalNot'],
];

forEachBackend(() => {
  it('GRAD_OPS lists every differentiable op exactly once, and each has a gradient check', () => {
    expect(new Set(GRAD_OPS).size).toBe(GRAD_OPS.length);
    expect(Object.keys(GRAD_CASES).sort()).toEqual([...GRAD_OPS].sort());
  });

  it('every op in GRAD_OPS: valueAndGrad matches central finite differences in float64', async () => {
    const checks = new Checks();
    for (const op of GRAD_OPS) for (const c of GRAD_CASES[op]()) checkGradient(checks, c);
    await checks.done();
  });

  it('composite ops (mean, logSumExp, dot, clipByValue, a two-layer network) match finite differences', async () => {
    const checks = new Checks();
    for (const make of COMPOSITE_CASES) checkGradient(checks, make());
    await checks.done();
  });

  it('non-differentiable paths (argmax, comparisons, cast to int) throw "no gradient reaches variable"', () => {
    const x = S.tensor([0.5, 1, -2]);
    const start = S.memory().numTensors;
    for (const [what, f, op] of BLOCKED) {
      expect(() => S.valueAndGrad(() => f(x), [x]), what).toThrow(new RegExp(`no gradient reaches variable #0 \\(shape \\[3\\], float32\\): it reaches the value only through non-differentiable ops \\(.*${op}.*\\)`));
    }
    const w = S.tidy(() => new S.Variable(S.ones([2]), 'w'));
    const ints = S.tensor([1], [1], 'int32');
    expect(() => S.grad(() => S.sum(x), [x, w])).toThrow("valueAndGrad: the value does not depend on variable 'w', so it has no gradient");
    expect(() => S.grad(() => S.sum(x), [ints])).toThrow('valueAndGrad: variable #0 (shape [1], int32) is int32; gradients need float32');
    expect(S.memory().numTensors).toBe(start + 2);
    S.dispose([x, w, ints]);
  });

  it('gradients accumulate over every path and leave memory where it started', async () => {
    const x = S.tensor([1.5, -2]);
    const start = S.memory().numTensors;
    // y = x*x + 3x + x: dy/dx = 2x + 4
    const { value, grads } = S.valueAndGrad(() => S.add(S.add(S.mul(x, x), S.mul(x, 3)), x), [x]);
    expect(Array.from(await grads[0].data())).toEqual([7, 0]);
    expect(Array.from(await value.data())).toEqual([1.5 * 1.5 + 4.5 + 1.5, 4 - 6 - 2]);
    S.dispose([value, grads]);
    // the same tensor twice: each result is disposable on its own
    const [g1, g2] = S.grad(() => S.sum(S.square(x)), [x, x]);
    g1.dispose();
    expect(Array.from(await g2.data())).toEqual([3, -4]);
    g2.dispose();
    expect(S.memory().numTensors).toBe(start);
    x.dispose();
  });
});
