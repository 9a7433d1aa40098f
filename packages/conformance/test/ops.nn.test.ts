import { it } from 'vitest';
import * as S from '@strata/core';
import { forEachBackend } from '../src/harness.ts';
import { Checks, TOL, toTensor } from '../src/check.ts';
import { Rng } from '../src/random-shapes.ts';
import * as R from '../src/reference.ts';
import { gruCell as gruCellRef, lstmCell as lstmCellRef } from '../src/reference-rnn.ts';

const rng = new Rng(51);

forEachBackend(() => {
  it('softmax and logSoftmax along any axis, stable for large logits', async () => {
    const c = new Checks();
    const cases: [number[], number][] = [[[5], -1], [[3, 4], -1], [[3, 4], 0], [[2, 3, 4], 1], [[2, 1, 3, 2, 2], -2], [[4, 1], 1]];
    for (const [shape, axis] of cases) {
      const x = R.arr(shape, rng.values(R.numel(shape), -4, 4));
      c.close(`softmax (${shape}) axis ${axis}`, () => S.softmax(toTensor(x), axis), R.softmax(x, axis), TOL.loose);
      c.close(`logSoftmax (${shape}) axis ${axis}`, () => S.logSoftmax(toTensor(x), axis), R.logSoftmax(x, axis), TOL.loose);
    }
    const big = R.arr([2, 3], [1000, 1001, 1002, -1000, -1001, -1e4]);
    c.close('softmax of large logits', () => S.softmax(toTensor(big)), R.softmax(big), TOL.loose);
    c.close('logSoftmax of large logits', () => S.logSoftmax(toTensor(big)), R.logSoftmax(big), TOL.loose);
    await c.done();
  });

  it('lstmCell ([h | c] of Keras\'s LSTM update) and gruCell (Keras 3\'s GRU update), units a multiple of 4 or not', async () => {
    const c = new Checks();
    for (const [batch, units] of [[1, 1], [2, 3], [3, 8], [2, 13]]) {
      const z = R.arr([batch, 4 * units], rng.values(4 * batch * units, -4, 4));
      const cPrev = R.arr([batch, units], rng.values(batch * units, -2, 2));
      c.close(`lstmCell batch ${batch} units ${units}`, () => S.lstmCell(toTensor(z), toTensor(cPrev)), lstmCellRef(z, cPrev), TOL.loose);
      c.close(`gruCell batch ${batch} units ${units}`, () => S.gruCell(toTensor(z), toTensor(cPrev)), gruCellRef(z, cPrev), TOL.loose);
    }
    await c.done();
  });

  it('oneHot of int32 and uint8 indices of any shape; out-of-range indices give zero rows', async () => {
    const c = new Checks();
    const cases: [number[], number[], number][] = [[[4], [0, 3, 1, 3], 4], [[2, 2], [2, 0, 1, 9], 3], [[], [1], 2], [[3], [-1, 0, 5], 5]];
    for (const [shape, values, depth] of cases) {
      const idx = R.arr(shape, values);
      c.close(`oneHot int32 (${shape}) [${values}] depth ${depth}`, () => S.oneHot(toTensor(idx, 'int32'), depth), R.oneHot(idx, depth), TOL.exact, 'float32');
    }
    const labels = R.arr([5], [7, 0, 9, 255, 3]);
    c.close('oneHot uint8 depth 10', () => S.oneHot(toTensor(labels, 'uint8'), 10), R.oneHot(labels, 10), TOL.exact, 'float32');
    await c.done();
  });
});
