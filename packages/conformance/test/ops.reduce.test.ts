import { expect, it } from 'vitest';
import * as S from '@strata/core';
import type { ReduceOp, Tensor } from '@strata/core';
import { forEachBackend } from '../src/harness.ts';
import { Checks, TOL, toTensor } from '../src/check.ts';
import { Rng, shapeSuite } from '../src/random-shapes.ts';
import * as R from '../src/reference.ts';

type Axis = number | number[] | undefined;
type ReduceName = ReduceOp | 'mean' | 'logSumExp';

const REDUCE_FNS: Record<ReduceName, (x: Tensor, axis: Axis, keepDims: boolean) => Tensor> = {
  sum: S.sum,
  prod: S.prod,
  max: S.max,
  min: S.min,
  argmax: (x, axis) => S.argmax(x, axis as number | undefined),
  argmin: (x, axis) => S.argmin(x, axis as number | undefined),
  mean: S.mean,
  logSumExp: S.logSumExp,
};

const ARG = new Set<ReduceName>(['argmax', 'argmin']);
/** Reductions without an identity: over a size-0 axis they are errors, as in numpy. */
const NO_IDENTITY = new Set<ReduceName>(['max', 'min', 'argmax', 'argmin']);
const reducesEmpty = (shape: number[], axis: Axis): boolean => (axis === undefined ? shape : [axis].flat().map((a) => shape[a < 0 ? a + shape.length : a])).some((d) => d === 0);

/** All axes, first, last, negative, a contiguous run and a scattered set (which core permutes first). */
function axisVariants(rank: number, single: boolean): Axis[] {
  const v: Axis[] = [undefined];
  if (rank >= 1) v.push(0, -1);
  if (rank >= 3) v.push(1);
  if (single) return v;
  if (rank >= 2) v.push([0, rank - 1]);
  if (rank >= 3) v.push([1, 2], [-3, -1]);
  if (rank >= 4) v.push([0, 2, 3]);
  return v;
}

forEachBackend(() => {
  it('every reduction matches the reference over every axis form, with and without keepDims', async () => {
    const rng = new Rng(21);
    const shapes = shapeSuite(rng, 9);
    const c = new Checks();
    for (const op of Object.keys(REDUCE_FNS) as ReduceName[]) {
      for (const shape of shapes) {
        const n = R.numel(shape);
        // distinct values: no ties for the arg ops; near 1 for prod so products stay in range
        const x = R.arr(shape, op === 'prod' ? rng.values(n, 0.6, 1.5) : rng.distinct(n, -3, 3));
        for (const axis of axisVariants(shape.length, ARG.has(op))) {
          for (const keepDims of ARG.has(op) ? [false] : [false, true]) {
            // argmax with no axis works on the flattened tensor
            const flat = ARG.has(op) && axis === undefined;
            const expected = R.reduce(flat ? R.reshape(x, [n]) : x, axis, keepDims, R.REDUCERS[op]);
            const label = `${op} (${shape}) axis=${JSON.stringify(axis)} keepDims=${keepDims}`;
            if (NO_IDENTITY.has(op) && reducesEmpty(shape, axis)) {
              expect(() => REDUCE_FNS[op](toTensor(x), axis, keepDims), label).toThrow(new RegExp(`^${op}: zero-size reduction over axis`));
              continue;
            }
            c.close(label, () => REDUCE_FNS[op](toTensor(x), axis, keepDims), expected, op === 'max' || op === 'min' ? TOL.exact : TOL.loose, ARG.has(op) ? 'int32' : 'float32');
          }
        }
      }
    }
    await c.done();
  });

  it('reductions over size-0 axes give the identities (sum 0, prod 1, logSumExp -inf); max/min/argmax/argmin refuse, as numpy', async () => {
    const x = R.arr([2, 0, 3], []);
    const c = new Checks();
    for (const op of ['sum', 'prod', 'logSumExp'] as const) {
      c.close(`${op} over the empty axis`, () => REDUCE_FNS[op](toTensor(x), 1, false), R.reduce(x, 1, false, R.REDUCERS[op]));
    }
    for (const op of NO_IDENTITY) expect(() => REDUCE_FNS[op](toTensor(x), 1, false)).toThrow(`${op}: zero-size reduction over axis 1 of shape (2,0,3), which has no identity`);
    c.close('softmax over the empty axis is empty', () => S.softmax(toTensor(x), 1), R.arr([2, 0, 3], []));
    await c.done();
  });

  it('long reductions (thousands of elements per row, many rows) and a softmax over 1000 classes', async () => {
    const rng = new Rng(22);
    const c = new Checks();
    const cases: [number[], Axis][] = [[[3, 5000], 1], [[5000, 3], 0], [[100000], undefined], [[700, 37], -1], [[7, 300, 5], [0, 2]]];
    for (const [shape, axis] of cases) {
      const x = R.arr(shape, rng.distinct(R.numel(shape), -1, 1, 0));
      for (const op of ['sum', 'max', 'min', 'argmax', 'mean'] as const) {
        if (ARG.has(op) && typeof axis === 'object') continue;
        c.close(`${op} (${shape}) axis=${JSON.stringify(axis)}`, () => REDUCE_FNS[op](toTensor(x), axis, false), R.reduce(x, axis, false, R.REDUCERS[op]), TOL.loose, ARG.has(op) ? 'int32' : 'float32');
      }
    }
    const logits = R.arr([4, 1000], rng.values(4000, -5, 5));
    c.close('softmax over 1000 classes', () => S.softmax(toTensor(logits)), R.softmax(logits), TOL.loose);
    await c.done();
  });

  it('argmax and argmin pick the first of tied extremes', async () => {
    const x = R.arr([2, 4], [1, 3, 3, 0, 2, 2, -1, -1]);
    const c = new Checks();
    c.close('argmax ties', () => S.argmax(toTensor(x), 1), R.arr([2], [1, 0]), TOL.exact, 'int32');
    c.close('argmin ties', () => S.argmin(toTensor(x), 1), R.arr([2], [3, 2]), TOL.exact, 'int32');
    c.close('argmax over columns', () => S.argmax(toTensor(x), 0), R.arr([4], [1, 0, 0, 0]), TOL.exact, 'int32');
    await c.done();
  });
});
