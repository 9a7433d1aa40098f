import { it } from 'vitest';
import * as S from '@strata/core';
import { forEachBackend } from '../src/harness.ts';
import { Checks, TOL, toTensor } from '../src/check.ts';
import { Rng, shapeSuite } from '../src/random-shapes.ts';
import * as R from '../src/reference.ts';

const rng = new Rng(41);
const rand = (shape: readonly number[]): R.Arr => R.arr(shape, rng.values(R.numel(shape)));

function shuffled(n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** [shape, slice text, the same index in typed form]. */
const SLICES: [number[], string, R.Index[]][] = [
  [[6, 4], '1:4', [{ start: 1, stop: 4 }]],
  [[6, 4], ':, 1:', [null, { start: 1 }]],
  [[6, 4], '-2:, :-1', [{ start: -2 }, { stop: -1 }]],
  [[6, 4], '2', [2]],
  [[6, 4], '-1, 1:3', [-1, { start: 1, stop: 3 }]],
  [[6, 4], ':, 3', [null, 3]],
  [[3, 5, 4], ':, 1:-1, 1:-1', [null, { start: 1, stop: -1 }, { start: 1, stop: -1 }]],
  [[3, 5, 4], '0:100, -100:2', [{ start: 0, stop: 100 }, { start: -100, stop: 2 }]],
  [[3, 5, 4], '2:1', [{ start: 2, stop: 1 }]],
  [[2, 3, 2, 3, 2], '1, :, 1:, 0, :', [1, null, { start: 1 }, 0, null]],
  [[5], '::1', [null]],
];

forEachBackend(() => {
  it('transpose permutes axes of rank 0–5 (random and default perms)', async () => {
    const c = new Checks();
    for (const shape of shapeSuite(rng, 10)) {
      const x = rand(shape);
      const perm = shuffled(shape.length);
      c.close(`transpose (${shape}) [${perm}]`, () => S.transpose(toTensor(x), perm), R.permute(x, perm), TOL.exact);
      c.close(`transpose (${shape}) default`, () => S.transpose(toTensor(x)), R.permute(x), TOL.exact);
    }
    await c.done();
  });

  it('reshape (with -1), expandDims, squeeze and flatten keep values in row-major order', async () => {
    const c = new Checks();
    const x = rand([2, 3, 4]);
    const cases: [string, () => S.Tensor, number[]][] = [
      ['reshape (4,6)', () => S.reshape(toTensor(x), [4, 6]), [4, 6]],
      ['reshape (-1,4)', () => S.reshape(toTensor(x), [-1, 4]), [6, 4]],
      ['reshape (2,-1,2)', () => S.reshape(toTensor(x), [2, -1, 2]), [2, 6, 2]],
      ['reshape (1,24,1,1,1)', () => S.reshape(toTensor(x), [1, 24, 1, 1, 1]), [1, 24, 1, 1, 1]],
      ['expandDims 0', () => S.expandDims(toTensor(x)), [1, 2, 3, 4]],
      ['expandDims -1', () => S.expandDims(toTensor(x), -1), [2, 3, 4, 1]],
      ['expandDims 2', () => S.expandDims(toTensor(x), 2), [2, 3, 1, 4]],
      ['flatten', () => S.flatten(toTensor(x)), [24]],
      ['squeeze all', () => S.squeeze(S.reshape(toTensor(x), [1, 2, 1, 12, 1])), [2, 12]],
      ['squeeze axis 2', () => S.squeeze(S.reshape(toTensor(x), [1, 2, 1, 12, 1]), 2), [1, 2, 12, 1]],
      ['squeeze axes [0,-1]', () => S.squeeze(S.reshape(toTensor(x), [1, 2, 1, 12, 1]), [0, -1]), [2, 1, 12]],
    ];
    for (const [label, make, shape] of cases) c.close(label, make, R.reshape(x, shape), TOL.exact);
    c.close('reshape of a scalar to (1,1)', () => S.reshape(S.scalar(5), [1, 1]), R.arr([1, 1], [5]), TOL.exact);
    c.close('reshape of size 0', () => S.reshape(S.zeros([2, 0, 3]), [3, 0, 2]), R.arr([3, 0, 2], []), TOL.exact);
    await c.done();
  });

  it('concat and stack join along any axis (zero-size parts too)', async () => {
    const c = new Checks();
    for (const axis of [0, 1, 2, -1]) {
      const parts = [2, 1, 3].map((len) => rand([2, 3, 4].map((d, i) => (i === (axis + 3) % 3 ? len : d))));
      c.close(`concat axis ${axis}`, () => S.concat(parts.map((p) => toTensor(p)), axis), R.concat(parts, axis), TOL.exact);
      const same = [rand([2, 3]), rand([2, 3]), rand([2, 3])];
      if (axis <= 2) c.close(`stack axis ${axis}`, () => S.stack(same.map((p) => toTensor(p)), axis), R.stack(same, axis), TOL.exact);
    }
    const withEmpty = [rand([2, 0]), rand([2, 3]), rand([2, 0])];
    c.close('concat with size-0 parts', () => S.concat(withEmpty.map((p) => toTensor(p)), 1), R.concat(withEmpty, 1), TOL.exact);
    const one = rand([3]);
    c.close('concat of one tensor', () => S.concat([toTensor(one)]), one, TOL.exact);
    await c.done();
  });

  it('slice: numpy text and typed specs, negative indices, clipping, integer indices drop axes', async () => {
    const c = new Checks();
    for (const [shape, text, typed] of SLICES) {
      const x = rand(shape);
      const expected = R.index(x, typed);
      c.close(`slice (${shape}) '${text}'`, () => S.slice(toTensor(x), text), expected, TOL.exact);
      c.close(`slice (${shape}) typed ${JSON.stringify(typed)}`, () => S.slice(toTensor(x), typed), expected, TOL.exact);
    }
    await c.done();
  });

  it('gather picks rows along axis 0 (repeats, int32 tensors, empty index lists)', async () => {
    const c = new Checks();
    for (const shape of [[5], [5, 3], [4, 2, 3], [3, 2, 2, 2]]) {
      const x = rand(shape);
      const idx = [shape[0] - 1, 0, 1, 1, 0];
      c.close(`gather (${shape}) [${idx}]`, () => S.gather(toTensor(x), idx), R.gather(x, idx), TOL.exact);
      c.close(`gather (${shape}) int32 tensor`, () => S.gather(toTensor(x), S.tensor(idx, [idx.length], 'int32')), R.gather(x, idx), TOL.exact);
    }
    const ints = R.arr([4, 2], [1, 2, 3, 4, 5, 6, 7, 8]);
    c.close('gather int32 rows', () => S.gather(toTensor(ints, 'int32'), [3, 1]), R.gather(ints, [3, 1]), TOL.exact, 'int32');
    c.close('gather with no indices', () => S.gather(toTensor(ints), []), R.arr([0, 2], []), TOL.exact);
    await c.done();
  });
});
