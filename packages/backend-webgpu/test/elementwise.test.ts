import { describe, expect, it } from 'vitest';
import { UNARY_OPS, type UnaryOp } from '../../core/src/backend.ts';
import { tensor, upload, useBackend } from './helpers.ts';

const backend = useBackend();

/** float64 references for the float32 unary ops. */
const F64: Record<UnaryOp, (x: number) => number> = {
  neg: (x) => -x, abs: Math.abs, exp: Math.exp, log: Math.log, sqrt: Math.sqrt, rsqrt: (x) => 1 / Math.sqrt(x),
  square: (x) => x * x, relu: (x) => (x < 0 ? 0 : x), sigmoid: (x) => 1 / (1 + Math.exp(-x)), tanh: Math.tanh,
  sign: (x) => (Number.isNaN(x) ? NaN : Math.sign(x)), floor: Math.floor, ceil: Math.ceil, reciprocal: (x) => 1 / x,
  round: (x) => { const r = Math.round(x); return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r; },
  sin: Math.sin, cos: Math.cos, logicalNot: (x) => (x === 0 ? 1 : 0),
};

function close(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-5, atol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (Number.isNaN(e) || !Number.isFinite(e)) expect(a, `index ${i}`).toBe(e);
    else expect(Math.abs(a - e), `index ${i}: ${a} vs ${e}`).toBeLessThanOrEqual(atol + rtol * Math.abs(e));
  }
}

const EDGE = [0, -0, 1, -1, 0.5, 1.5, 2.5, -2.5, -0.5, 3.7, -3.7, 10, -10, 40, -40, 100, -100, 1e-3, 1234.5, NaN, Infinity, -Infinity];

describe('unary', () => {
  it.each(UNARY_OPS)('%s on float32 matches float64 math, edge cases included', async (op) => {
    const b = backend();
    // 22 values run one per thread, 20 run as vec4 units
    for (const values of [EDGE, EDGE.slice(0, 20)]) {
      const x = upload(b, values, [values.length]);
      const y = await b.read(tensor(b.unary(op, x), x.shape, op === 'logicalNot' ? 'bool' : 'float32'));
      close(y, values.map((v) => Math.fround(F64[op](Math.fround(v)))), 2e-6, 1e-6);
    }
  });

  it('integer and uint8 ops wrap like typed arrays', async () => {
    const b = backend();
    const i = upload(b, [-3, 0, 7, -2147483647], [4], 'int32');
    expect([...(await b.read(tensor(b.unary('neg', i), [4], 'int32')))]).toEqual([3, 0, -7, 2147483647]);
    expect([...(await b.read(tensor(b.unary('relu', i), [4], 'int32')))]).toEqual([0, 0, 7, 0]);
    expect([...(await b.read(tensor(b.unary('sign', i), [4], 'int32')))]).toEqual([-1, 0, 1, -1]);
    const u = upload(b, [0, 1, 16, 255], [4], 'uint8');
    const sq = await b.read(tensor(b.unary('square', u), [4], 'uint8'));
    expect(sq).toBeInstanceOf(Uint8Array);
    expect([...sq]).toEqual([0, 1, 0, 1]);
    expect([...(await b.read(tensor(b.unary('neg', u), [4], 'uint8')))]).toEqual([0, 255, 240, 1]);
    expect([...(await b.read(tensor(b.unary('logicalNot', u), [4], 'bool')))]).toEqual([1, 0, 0, 0]);
  });
});

describe('binary', () => {
  it('broadcasts by strides: [2,1,3] op [4,1] -> [2,4,3]', async () => {
    const b = backend();
    const av = [1, 2, 3, 4, 5, 6];
    const bv = [10, 20, 30, 40];
    const a = upload(b, av, [2, 1, 3]);
    const c = upload(b, bv, [4, 1]);
    const out = await b.read(tensor(b.binary('sub', a, c, [2, 4, 3]), [2, 4, 3]));
    const expected: number[] = [];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 3; k++) expected.push(av[i * 3 + k] - bv[j]);
    expect([...out]).toEqual(expected);
  });

  it('floor-mod, NaN-propagating maximum/minimum, numpy pow, comparisons with NaN', async () => {
    const b = backend();
    const av = [7, -7, 7, -7, 5.5, NaN, 1, -2, -2, 0, 2];
    const bv = [3, 3, -3, -3, 2, 1, NaN, 3, 0.5, 0, -1];
    const a = upload(b, av, [11]);
    const c = upload(b, bv, [11]);
    const run = async (op: Parameters<ReturnType<typeof backend>['binary']>[0], dtype: 'float32' | 'bool' = 'float32') =>
      [...(await b.read(tensor(b.binary(op, a, c, [11]), [11], dtype)))];
    close(await run('mod'), av.map((x, i) => { const y = bv[i]; const r = x % y; return r !== 0 && (r < 0) !== (y < 0) ? r + y : r; }));
    close(await run('maximum'), av.map((x, i) => (Number.isNaN(x) || Number.isNaN(bv[i]) ? NaN : Math.max(x, bv[i]))));
    close(await run('minimum'), av.map((x, i) => (Number.isNaN(x) || Number.isNaN(bv[i]) ? NaN : Math.min(x, bv[i]))));
    close(await run('pow'), av.map((x, i) => Math.fround(x ** bv[i])), 1e-5);
    expect(await run('notEqual', 'bool')).toEqual(av.map((x, i) => Number(x !== bv[i])));
    expect(await run('equal', 'bool')).toEqual(av.map((x, i) => Number(x === bv[i])));
    expect(await run('lessEqual', 'bool')).toEqual(av.map((x, i) => Number(x <= bv[i])));
  });

  it('int32 floor-mod and uint8 wrapping arithmetic', async () => {
    const b = backend();
    const a = upload(b, [7, -7, 7, -7, 5], [5], 'int32');
    const c = upload(b, [3, 3, -3, -3, 0], [5], 'int32');
    expect([...(await b.read(tensor(b.binary('mod', a, c, [5]), [5], 'int32')))]).toEqual([1, 2, -2, -1, 0]);
    const u = upload(b, [200, 3, 0], [3], 'uint8');
    const v = upload(b, [100, 5, 1], [3], 'uint8');
    expect([...(await b.read(tensor(b.binary('add', u, v, [3]), [3], 'uint8')))]).toEqual([44, 8, 1]);
    expect([...(await b.read(tensor(b.binary('sub', u, v, [3]), [3], 'uint8')))]).toEqual([100, 254, 255]);
  });
});

describe('where, cast, fill', () => {
  it('where broadcasts cond, a and b', async () => {
    const b = backend();
    const cond = upload(b, [1, 0, 1], [3], 'bool');
    const a = upload(b, [1, 2], [2, 1], 'int32');
    const c = upload(b, [-5], [], 'int32');
    expect([...(await b.read(tensor(b.where(cond, a, c, [2, 3]), [2, 3], 'int32')))]).toEqual([1, -5, 1, 2, -5, 2]);
  });

  it('cast converts like numpy astype', async () => {
    const b = backend();
    const x = upload(b, [1.9, -1.9, 0, 300.5, -1, NaN], [6]);
    expect([...(await b.read(tensor(b.cast(x, 'int32'), [6], 'int32')))]).toEqual([1, -1, 0, 300, -1, 0]);
    expect([...(await b.read(tensor(b.cast(x, 'uint8'), [6], 'uint8')))]).toEqual([1, 255, 0, 44, 255, 0]);
    expect([...(await b.read(tensor(b.cast(x, 'bool'), [6], 'bool')))]).toEqual([1, 1, 0, 1, 1, 1]);
    const u = upload(b, [0, 7, 255], [3], 'uint8');
    expect([...(await b.read(tensor(b.cast(u, 'float32'), [3], 'float32')))]).toEqual([0, 7, 255]);
    const i = upload(b, [-1, 256, 3], [3], 'int32');
    expect([...(await b.read(tensor(b.cast(i, 'uint8'), [3], 'uint8')))]).toEqual([255, 0, 3]);
  });

  it('fill writes the dtype representation', async () => {
    const b = backend();
    expect([...(await b.read(tensor(b.fill([2, 2], -2.5, 'float32'), [4])))]).toEqual([-2.5, -2.5, -2.5, -2.5]);
    expect([...(await b.read(tensor(b.fill([3], 16777217, 'int32'), [3], 'int32')))]).toEqual([16777217, 16777217, 16777217]);
    expect([...(await b.read(tensor(b.fill([2], 2, 'bool'), [2], 'bool')))]).toEqual([1, 1]);
  });
});
