import { it } from 'vitest';
import * as S from '@strata/core';
import { forEachBackend } from '../src/harness.ts';
import { Checks, TOL, toTensor } from '../src/check.ts';
import { Rng } from '../src/random-shapes.ts';
import * as R from '../src/reference.ts';

const rng = new Rng(31);
const rand = (shape: number[]): R.Arr => R.arr(shape, rng.values(R.numel(shape)));

/** [a shape, b shape, transposeA, transposeB]: plain, every transpose pair, batched, broadcast batch, k = 0, skinny, tails. */
const MATMUL_CASES: [number[], number[], boolean, boolean][] = [
  [[3, 4], [4, 5], false, false],
  [[4, 3], [4, 5], true, false],
  [[3, 4], [5, 4], false, true],
  [[4, 3], [5, 4], true, true],
  [[2, 3, 4], [2, 4, 5], false, false],
  [[2, 4, 3], [2, 5, 4], true, true],
  [[2, 2, 3, 4], [2, 2, 4, 2], false, false],
  [[2, 3, 3, 4], [4, 5], false, false],
  [[3, 4], [2, 4, 5], false, false],
  [[1, 3, 4], [3, 4, 2], false, false],
  [[3, 0], [0, 4], false, false],
  [[1, 7], [7, 9], false, false],
  [[9, 7], [7, 1], false, false],
  [[33, 65], [65, 17], false, false],
  [[65, 33], [17, 65], true, true],
];

/** numpy dot shape rules: scalars, vector·vector, matrix·vector, vector·matrix, (a,b,c,d)·(d,), (a,b,c,d)·(d,e), N-D·N-D. */
const DOT_CASES: [number[], number[]][] = [
  [[], [3]], [[3], []], [[5], [5]], [[3, 4], [4]], [[4], [4, 3]], [[3, 4], [4, 2]],
  [[2, 3, 2, 4], [4]], [[2, 3, 2, 4], [4, 5]], [[2, 3, 4], [5, 4, 2]], [[0, 3], [3]],
];

forEachBackend(() => {
  it('matmul: every transpose pair, batches, broadcast batches, k = 0, skinny and odd sizes', async () => {
    const c = new Checks();
    for (const [sa, sb, ta, tb] of MATMUL_CASES) {
      const [a, b] = [rand(sa), rand(sb)];
      c.close(`matmul (${sa}) (${sb}) transA=${ta} transB=${tb}`, () => S.matmul(toTensor(a), toTensor(b), ta, tb), R.matmul(a, b, ta, tb), TOL.loose);
    }
    await c.done();
  });

  it('dot follows numpy shape rules', async () => {
    const c = new Checks();
    for (const [sa, sb] of DOT_CASES) {
      const [a, b] = [rand(sa), rand(sb)];
      c.close(`dot (${sa}) (${sb})`, () => S.dot(toTensor(a), toTensor(b)), R.dot(a, b), TOL.loose);
    }
    await c.done();
  });

  it('dense fuses matmul, bias and relu', async () => {
    const c = new Checks();
    for (const [m, k, n] of [[4, 3, 5], [1, 8, 3], [17, 9, 33]]) {
      const [x, w, bias] = [rand([m, k]), rand([k, n]), rand([n])];
      const label = `dense ${m}x${k}x${n}`;
      c.close(`${label}`, () => S.dense(toTensor(x), toTensor(w)), R.dense(x, w), TOL.loose);
      c.close(`${label} +bias`, () => S.dense(toTensor(x), toTensor(w), toTensor(bias)), R.dense(x, w, bias), TOL.loose);
      c.close(`${label} +bias relu`, () => S.dense(toTensor(x), toTensor(w), toTensor(bias), 'relu'), R.dense(x, w, bias, 'relu'), TOL.loose);
      c.close(`${label} relu`, () => S.dense(toTensor(x), toTensor(w), undefined, 'relu'), R.dense(x, w, undefined, 'relu'), TOL.loose);
    }
    await c.done();
  });
});
