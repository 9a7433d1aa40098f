import { describe, expect, it } from 'vitest';
import { stridesOf } from '../../core/src/shape.ts';
import { tensor, upload, useBackend } from './helpers.ts';

const backend = useBackend();

const iota = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('movement', () => {
  it('permute of a rank-4 tensor', async () => {
    const b = backend();
    const shape = [2, 3, 4, 5];
    const perm = [3, 1, 0, 2];
    const x = upload(b, iota(120), shape, 'int32');
    const outShape = perm.map((p) => shape[p]);
    const out = await b.read(tensor(b.permute(x, perm), outShape, 'int32'));
    const xs = stridesOf(shape);
    const os = stridesOf(outShape);
    const expected = iota(120).map((i) => perm.reduce((acc, p, j) => acc + (Math.floor(i / os[j]) % outShape[j]) * xs[p], 0));
    expect([...out]).toEqual(expected);
  });

  it('slice a box', async () => {
    const b = backend();
    const x = upload(b, iota(60), [3, 4, 5]);
    const out = await b.read(tensor(b.slice(x, [1, 1, 2], [2, 2, 3]), [2, 2, 3]));
    const expected: number[] = [];
    for (let i = 1; i < 3; i++) for (let j = 1; j < 3; j++) for (let k = 2; k < 5; k++) expected.push(i * 20 + j * 5 + k);
    expect([...out]).toEqual(expected);
  });

  it('concat along a middle axis, skipping empty inputs', async () => {
    const b = backend();
    const a = upload(b, iota(6), [2, 1, 3], 'uint8');
    const c = upload(b, iota(12).map((v) => v + 100), [2, 2, 3], 'uint8');
    const e = upload(b, [], [2, 0, 3], 'uint8');
    const out = await b.read(tensor(b.concat([a, e, c], 1), [2, 3, 3], 'uint8'));
    expect(out).toBeInstanceOf(Uint8Array);
    expect([...out]).toEqual([0, 1, 2, 100, 101, 102, 103, 104, 105, 3, 4, 5, 106, 107, 108, 109, 110, 111]);
  });

  it('gather rows by int32 indices (repeats allowed)', async () => {
    const b = backend();
    const x = upload(b, iota(12), [4, 3]);
    const idx = upload(b, [3, 0, 3], [3], 'int32');
    expect([...(await b.read(tensor(b.gather(x, idx), [3, 3])))]).toEqual([9, 10, 11, 0, 1, 2, 9, 10, 11]);
  });

  it('size-0 tensors: no dispatch, empty reads', async () => {
    const b = backend();
    const x = upload(b, [], [0, 3]);
    expect((await b.read(tensor(b.unary('exp', x), [0, 3]))).length).toBe(0);
    expect((await b.read(tensor(b.permute(x, [1, 0]), [3, 0]))).length).toBe(0);
    expect((await b.read(tensor(b.fill([0], 1, 'bool'), [0], 'bool')))).toBeInstanceOf(Uint8Array);
  });
});
