import { expect, it } from 'vitest';
import * as S from '@strata/core';
import { cast, tensor } from '@strata/core';
import { forEachBackend } from '../src/harness.ts';

/**
 * Numbers become integer tensors only when they fit (numpy 2 raises for out-of-bounds integers);
 * `cast` is the deliberate conversion and follows one rule on every backend: float32 → int32 truncates
 * and saturates (NaN and ±Infinity → 0), → uint8 wraps modulo 256 after that.
 */
forEachBackend(() => {
  it('tensor() refuses numbers that do not fit int32 or uint8, naming the value and its index', () => {
    expect(() => tensor([300, -1], [2], 'uint8')).toThrow("tensor: value 300 at flat index 0 does not fit uint8 (integers 0 to 255); to wrap or saturate on purpose, cast a float32 tensor: cast(tensor(values), 'uint8')");
    expect(() => tensor([[0, 1], [2, -1]], undefined, 'uint8')).toThrow('tensor: value -1 at flat index 3 does not fit uint8');
    expect(() => tensor([1, 3e9], [2], 'int32')).toThrow('tensor: value 3000000000 at flat index 1 does not fit int32 (integers -2147483648 to 2147483647)');
    expect(() => tensor(Float32Array.of(1, NaN), [2], 'int32')).toThrow('tensor: value NaN at flat index 1 does not fit int32');
    expect(() => tensor([Infinity], [1], 'int32')).toThrow('value Infinity at flat index 0');
    expect(() => tensor(Int32Array.of(7, 256), [2], 'uint8')).toThrow('value 256 at flat index 1 does not fit uint8');
  });

  it('tensor() keeps what fits: the ends of each range, fractions truncated toward zero', async () => {
    expect(Array.from(await tensor([0, 255, 254.9, -0.5], [4], 'uint8').data())).toEqual([0, 255, 254, 0]);
    expect(Array.from(await tensor([-2147483648, 2147483647, -7.9], [3], 'int32').data())).toEqual([-2147483648, 2147483647, -7]);
  });

  it('a number operand beyond int32 next to an int32 tensor promotes to float32 instead of failing', async () => {
    const big = S.less(tensor([1, 2], [2], 'int32'), 3e9);
    expect(Array.from(await big.data())).toEqual([1, 1]);
    const sum = S.add(tensor([1], [1], 'int32'), 2 ** 40);
    expect(sum.dtype).toBe('float32');
    expect(Array.from(await sum.data())).toEqual([2 ** 40]);
  });

  it('cast saturates float32 → int32 (NaN, ±Infinity → 0) and wraps → uint8, the same on every backend', async () => {
    const x = tensor([3e9, -3e9, NaN, Infinity, -Infinity, 2.5, -2.5, 300.7, -1.5]);
    // 2^31 - 128 is the largest float32 below 2^31
    expect(Array.from(await cast(x, 'int32').data())).toEqual([2147483520, -2147483648, 0, 0, 0, 2, -2, 300, -1]);
    expect(Array.from(await cast(x, 'uint8').data())).toEqual([128, 0, 0, 0, 0, 2, 254, 44, 255]);
    expect(Array.from(await cast(tensor([300, -1, 256], [3], 'int32'), 'uint8').data())).toEqual([44, 255, 0]);
  });
});
