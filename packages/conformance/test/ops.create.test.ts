import { expect, it } from 'vitest';
import * as S from '@strata/core';
import { forEachBackend } from '../src/harness.ts';
import { Checks, TOL, toArr } from '../src/check.ts';
import * as R from '../src/reference.ts';

forEachBackend((name) => {
  it('tensor, scalar, zeros, ones, fill, range and the *Like helpers', async () => {
    const c = new Checks();
    c.close('tensor nested', () => S.tensor([[1, 2, 3], [4, 5, 6]]), R.arr([2, 3], [1, 2, 3, 4, 5, 6]), TOL.exact, 'float32');
    c.close('tensor flat + shape', () => S.tensor([1, 2, 3, 4, 5, 6], [3, 2]), R.arr([3, 2], [1, 2, 3, 4, 5, 6]), TOL.exact, 'float32');
    c.close('tensor Float32Array', () => S.tensor(new Float32Array([0.5, -2])), R.arr([2], [0.5, -2]), TOL.exact, 'float32');
    c.close('tensor Int32Array', () => S.tensor(new Int32Array([-7, 8])), R.arr([2], [-7, 8]), TOL.exact, 'int32');
    c.close('tensor Uint8Array', () => S.tensor(new Uint8Array([0, 255])), R.arr([2], [0, 255]), TOL.exact, 'uint8');
    c.close('tensor booleans', () => S.tensor([true, false, true]), R.arr([3], [1, 0, 1]), TOL.exact, 'bool');
    c.close('tensor numbers as int32', () => S.tensor([1.7, -1.7], [2], 'int32'), R.arr([2], [1, -1]), TOL.exact, 'int32');
    c.close('scalar', () => S.scalar(12), R.arr([], [12]), TOL.exact, 'float32');
    c.close('scalar int32', () => S.scalar(12, 'int32'), R.arr([], [12]), TOL.exact, 'int32');
    c.close('zeros', () => S.zeros([2, 3]), R.arr([2, 3], [0, 0, 0, 0, 0, 0]), TOL.exact, 'float32');
    c.close('zeros size 0', () => S.zeros([0, 3]), R.arr([0, 3], []), TOL.exact);
    c.close('ones int32', () => S.ones([3], 'int32'), R.arr([3], [1, 1, 1]), TOL.exact, 'int32');
    c.close('ones bool', () => S.ones([2], 'bool'), R.arr([2], [1, 1]), TOL.exact, 'bool');
    c.close('fill', () => S.fill([2, 2], -2.5), R.arr([2, 2], [-2.5, -2.5, -2.5, -2.5]), TOL.exact, 'float32');
    c.close('fill uint8', () => S.fill([2], 200, 'uint8'), R.arr([2], [200, 200]), TOL.exact, 'uint8');
    c.close('zerosLike', () => S.zerosLike(S.ones([2, 1], 'int32')), R.arr([2, 1], [0, 0]), TOL.exact, 'int32');
    c.close('onesLike', () => S.onesLike(S.zeros([3])), R.arr([3], [1, 1, 1]), TOL.exact, 'float32');
    c.close('range(5)', () => S.range(5), R.arr([5], [0, 1, 2, 3, 4]), TOL.exact, 'float32');
    c.close('range(2, 8, 2)', () => S.range(2, 8, 2), R.arr([3], [2, 4, 6]), TOL.exact);
    c.close('range(5, 0, -1)', () => S.range(5, 0, -1), R.arr([5], [5, 4, 3, 2, 1]), TOL.exact);
    c.close('range(0, 1, 0.25)', () => S.range(0, 1, 0.25), R.arr([4], [0, 0.25, 0.5, 0.75]), TOL.exact);
    c.close('range(3, 3)', () => S.range(3, 3), R.arr([0], []), TOL.exact);
    c.close('range int32', () => S.range(0, 3, 1, 'int32'), R.arr([3], [0, 1, 2]), TOL.exact, 'int32');
    await c.done();
  });

  it('seeded randomUniform and randomNormal give the counter-based values on every backend', async () => {
    const c = new Checks();
    const shape = [3, 50];
    c.close('randomUniform seed 7', () => S.randomUniform(shape, 0, 1, { seed: 7 }), R.randomUniform(shape, 0, 1, 7), TOL.float);
    c.close('randomUniform [-2, 3) seed 1', () => S.randomUniform(shape, -2, 3, { seed: 1 }), R.randomUniform(shape, -2, 3, 1), TOL.float);
    c.close('randomNormal seed 7', () => S.randomNormal(shape, 0, 1, { seed: 7 }), R.randomNormal(shape, 0, 1, 7), TOL.loose);
    c.close('randomNormal mean 5 std 0.5 seed 123456789', () => S.randomNormal(shape, 5, 0.5, { seed: 123456789 }), R.randomNormal(shape, 5, 0.5, 123456789), TOL.loose);
    await c.done();
    const u = await toArr(S.randomUniform([2000], -1, 1, { seed: 3 }));
    expect(Math.min(...u.data)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...u.data)).toBeLessThan(1);
    const n = await toArr(S.randomNormal([4000], 2, 3, { seed: 3 }));
    const mean = R.REDUCERS.mean(n.data);
    const std = Math.sqrt(R.REDUCERS.mean(n.data.map((v) => (v - mean) ** 2)));
    expect(Math.abs(mean - 2)).toBeLessThan(0.15);
    expect(Math.abs(std - 3)).toBeLessThan(0.15);
    const [a, b] = [S.randomUniform([8]), S.randomUniform([8])];
    expect(Array.from(await a.data())).not.toEqual(Array.from(await b.data()));
    S.dispose([a, b]);
  });

  it('tensor attributes: shape, rank/ndim, dtype, size; array() nests values (bools as booleans)', async () => {
    const x = S.tensor([[[5, 78, 2, 34, 0], [6, 79, 3, 35, 1]]]);
    expect([x.shape, x.rank, x.ndim, x.dtype, x.size]).toEqual([[1, 2, 5], 3, 3, 'float32', 10]);
    const s = S.scalar(3);
    expect([s.shape, s.rank, s.size]).toEqual([[], 0, 1]);
    expect(await s.array()).toBe(3);
    expect(await S.tensor([[true], [false]]).array()).toEqual([[true], [false]]);
    expect(await S.zeros([2, 0]).array()).toEqual([[], []]);
  });

  it('format() and toString() print numpy-like text', async () => {
    expect(await S.tensor([[1, 2], [3, 4]]).format()).toBe('array([[1., 2.],\n       [3., 4.]], dtype=float32)');
    expect(await S.tensor(new Int32Array([12, 3, 6, 14, 7])).format()).toBe('array([12,  3,  6, 14,  7], dtype=int32)');
    expect(await S.tensor([true, false]).format()).toBe('array([ True, False])');
    expect(await S.scalar(12, 'int32').format()).toBe('array(12, dtype=int32)');
    const long = await S.range(2000).format();
    expect(long).toBe('array([   0.,    1.,    2., ..., 1997., 1998., 1999.], dtype=float32)');
    const t = S.tensor([1, 2]);
    if (name === 'cpu') expect(t.toString()).toBe('array([1., 2.], dtype=float32)');
    else expect(t.toString()).toMatch(/^Tensor\(shape=\[2\], dtype=float32, backend=webgpu; await \.format\(\) to see values\)$/);
  });
});
