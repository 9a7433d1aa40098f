import { it } from 'vitest';
import * as S from '@strata/core';
import type { DType } from '@strata/core';
import { forEachBackend } from '../src/harness.ts';
import { Checks, TOL, toTensor } from '../src/check.ts';
import * as R from '../src/reference.ts';

const f = R.arr([4], [-1.7, -0.2, 0, 2.9]);
const i = R.arr([4], [-3, 0, 2, 7]);
const u = R.arr([4], [0, 1, 200, 255]);
const b = R.arr([4], [1, 0, 0, 1]);
const INPUTS: Record<DType, R.Arr> = { float32: f, int32: i, uint8: u, bool: b };
const DTYPES: DType[] = ['float32', 'int32', 'uint8', 'bool'];

/** numpy's result dtype of add for each pair (float64 absent: floats are float32; bool+bool adds as int32). */
const PROMOTED: Record<DType, Record<DType, DType>> = {
  float32: { float32: 'float32', int32: 'float32', uint8: 'float32', bool: 'float32' },
  int32: { float32: 'float32', int32: 'int32', uint8: 'int32', bool: 'int32' },
  uint8: { float32: 'float32', int32: 'int32', uint8: 'uint8', bool: 'int32' },
  bool: { float32: 'float32', int32: 'int32', uint8: 'int32', bool: 'int32' },
};

forEachBackend(() => {
  it('cast converts between every pair of dtypes (truncation toward zero, nonzero → true)', async () => {
    const c = new Checks();
    for (const from of DTYPES) {
      for (const to of DTYPES) {
        const x = INPUTS[from];
        // float → uint8 is only defined in range
        const src = from === 'float32' && to === 'uint8' ? R.arr([4], [0.5, 1.9, 200.2, 254.99]) : x;
        c.close(`cast ${from} → ${to}`, () => S.cast(toTensor(src, from), to), R.cast(src, to), TOL.exact, to);
      }
    }
    await c.done();
  });

  it('add promotes dtypes like numpy; comparisons give bool; true division and float-only ops give float32', async () => {
    const c = new Checks();
    for (const da of DTYPES) {
      for (const db of DTYPES) {
        const [a, bb] = [INPUTS[da], INPUTS[db]];
        const sum = R.cast(R.binary('add', a, bb), PROMOTED[da][db]);
        c.close(`${da} + ${db}`, () => S.add(toTensor(a, da), toTensor(bb, db)), sum, TOL.float, PROMOTED[da][db]);
        c.close(`${da} < ${db}`, () => S.less(toTensor(a, da), toTensor(bb, db)), R.binary('less', a, bb), TOL.exact, 'bool');
      }
    }
    c.close('int32 / int32 is float32', () => S.div(toTensor(i, 'int32'), S.scalar(2, 'int32')), R.map(i, (v) => v / 2), TOL.float, 'float32');
    c.close('int32 + 2 stays int32', () => S.add(toTensor(i, 'int32'), 2), R.map(i, (v) => v + 2), TOL.exact, 'int32');
    c.close('int32 + 0.5 is float32', () => S.add(toTensor(i, 'int32'), 0.5), R.map(i, (v) => v + 0.5), TOL.exact, 'float32');
    c.close('uint8 * 1 stays uint8 (a number operand is weak, as in numpy)', () => S.mul(toTensor(u, 'uint8'), 1), u, TOL.exact, 'uint8');
    c.close('uint8 + 300 widens to int32', () => S.add(toTensor(u, 'uint8'), 300), R.map(u, (v) => v + 300), TOL.exact, 'int32');
    c.close('bool + 1 is int32', () => S.add(toTensor(b, 'bool'), 1), R.map(b, (v) => v + 1), TOL.exact, 'int32');
    c.close('sqrt of int32 is float32', () => S.sqrt(toTensor(R.arr([2], [4, 9]), 'int32')), R.arr([2], [2, 3]), TOL.float, 'float32');
    c.close('exp of bool is float32', () => S.exp(toTensor(b, 'bool')), R.map(b, Math.exp), TOL.loose, 'float32');
    c.close('abs of int32 stays int32', () => S.abs(toTensor(i, 'int32')), R.map(i, Math.abs), TOL.exact, 'int32');
    c.close('neg of uint8 is float32', () => S.neg(toTensor(u, 'uint8')), R.map(u, (v) => -v), TOL.exact, 'float32');
    c.close('square of int32 stays int32', () => S.square(toTensor(i, 'int32')), R.map(i, (v) => v * v), TOL.exact, 'int32');
    c.close('logicalNot of float32 is bool', () => S.logicalNot(toTensor(f)), R.map(f, R.UNARY.logicalNot), TOL.exact, 'bool');
    c.close('logicalAnd of bools', () => S.logicalAnd(toTensor(b, 'bool'), toTensor(R.arr([4], [1, 1, 0, 0]), 'bool')), R.arr([4], [1, 0, 0, 0]), TOL.exact, 'bool');
    c.close('int32 maximum stays int32', () => S.maximum(toTensor(i, 'int32'), 1), R.map(i, (v) => Math.max(v, 1)), TOL.exact, 'int32');
    c.close('where keeps int32', () => S.where(toTensor(b, 'bool'), toTensor(i, 'int32'), 0), R.where(b, i, R.arr([], [0])), TOL.exact, 'int32');
    await c.done();
  });

  it('reductions: sums of uint8/bool widen to int32, mean is float32, max keeps the dtype, argmax is int32', async () => {
    const c = new Checks();
    const pixels = R.arr([2, 3], [255, 255, 255, 1, 2, 3]);
    c.close('sum uint8 (no wrap at 256)', () => S.sum(toTensor(pixels, 'uint8')), R.arr([], [771]), TOL.exact, 'int32');
    c.close('sum uint8 axis 1', () => S.sum(toTensor(pixels, 'uint8'), 1), R.arr([2], [765, 6]), TOL.exact, 'int32');
    c.close('sum bool counts trues', () => S.sum(toTensor(b, 'bool')), R.arr([], [2]), TOL.exact, 'int32');
    c.close('sum int32', () => S.sum(toTensor(i, 'int32')), R.arr([], [6]), TOL.exact, 'int32');
    c.close('prod int32', () => S.prod(toTensor(R.arr([3], [-2, 3, 4]), 'int32')), R.arr([], [-24]), TOL.exact, 'int32');
    c.close('mean int32 is float32', () => S.mean(toTensor(i, 'int32')), R.arr([], [1.5]), TOL.float, 'float32');
    c.close('max uint8 stays uint8', () => S.max(toTensor(pixels, 'uint8'), 1), R.arr([2], [255, 3]), TOL.exact, 'uint8');
    c.close('min int32 stays int32', () => S.min(toTensor(i, 'int32')), R.arr([], [-3]), TOL.exact, 'int32');
    c.close('argmax int32 input', () => S.argmax(toTensor(i, 'int32')), R.arr([], [3]), TOL.exact, 'int32');
    c.close('argmin uint8 input', () => S.argmin(toTensor(pixels, 'uint8'), 1), R.arr([2], [0, 0]), TOL.exact, 'int32');
    await c.done();
  });

  it('integer arithmetic is exact and wraps like numpy (int32 and uint8)', async () => {
    const c = new Checks();
    const big = R.arr([2], [16777217, -16777219]);
    c.close('int32 add beyond float32 precision', () => S.add(toTensor(big, 'int32'), S.scalar(2, 'int32')), R.arr([2], [16777219, -16777217]), TOL.exact, 'int32');
    c.close('int32 mul', () => S.mul(toTensor(R.arr([2], [46341, -3]), 'int32'), S.scalar(3, 'int32')), R.arr([2], [139023, -9]), TOL.exact, 'int32');
    c.close('uint8 add wraps at 256', () => S.add(toTensor(R.arr([2], [250, 5]), 'uint8'), toTensor(R.arr([2], [10, 10]), 'uint8')), R.arr([2], [4, 15]), TOL.exact, 'uint8');
    c.close('uint8 sub wraps below 0', () => S.sub(toTensor(R.arr([2], [0, 5]), 'uint8'), toTensor(R.arr([2], [1, 3]), 'uint8')), R.arr([2], [255, 2]), TOL.exact, 'uint8');
    c.close('int32 mod by 0 is 0', () => S.mod(toTensor(R.arr([2], [5, -5]), 'int32'), S.scalar(0, 'int32')), R.arr([2], [0, 0]), TOL.exact, 'int32');
    await c.done();
  });
});
