import { describe, expect, it } from 'vitest';
import { REDUCE_OPS, type ReduceOp } from '../../core/src/backend.ts';
import { seeded, tensor, upload, useBackend } from './helpers.ts';

const backend = useBackend();

/** float64 reference over [outer, r, inner]. */
function reference(op: ReduceOp, x: ArrayLike<number>, outer: number, r: number, inner: number): number[] {
  const out: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const vals = Array.from({ length: r }, (_, j) => x[(o * r + j) * inner + i]);
      const best = (better: (a: number, b: number) => boolean) => vals.reduce((bi, v, j) => (better(v, vals[bi]) ? j : bi), 0);
      switch (op) {
        case 'sum': out.push(vals.reduce((a, b) => a + b, 0)); break;
        case 'prod': out.push(vals.reduce((a, b) => a * b, 1)); break;
        case 'max': out.push(vals.reduce((a, b) => Math.max(a, b), -Infinity)); break;
        case 'min': out.push(vals.reduce((a, b) => Math.min(a, b), Infinity)); break;
        case 'argmax': out.push(best((a, b) => a > b)); break;
        case 'argmin': out.push(best((a, b) => a < b)); break;
      }
    }
  }
  return out;
}

describe('reduce', () => {
  // Short axes take one pass (a thread per output); long ones are cut into pieces reduced over several passes.
  const layouts = [
    { outer: 3, reduceSize: 10, inner: 4 },
    { outer: 2, reduceSize: 60000, inner: 1 },
    { outer: 1, reduceSize: 300, inner: 7 },
  ];
  for (const layout of layouts) {
    it.each(REDUCE_OPS)(`%s over [${layout.outer}, ${layout.reduceSize}, ${layout.inner}]`, async (op) => {
      const b = backend();
      const n = layout.outer * layout.reduceSize * layout.inner;
      // prod over long axes stays finite with values near 1
      const x = seeded(n, 7).map((v) => (op === 'prod' ? 1 + v * 1e-3 : v));
      const out = await b.read(tensor(b.reduce(op, upload(b, x, [n]), layout), [layout.outer * layout.inner], op.startsWith('arg') ? 'int32' : 'float32'));
      const expected = reference(op, x, layout.outer, layout.reduceSize, layout.inner);
      if (op.startsWith('arg')) expect([...out]).toEqual(expected);
      else for (let i = 0; i < expected.length; i++) expect(Math.abs(out[i] - expected[i])).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(expected[i])) + (op === 'sum' ? 1e-3 : 0)); // float32 accumulation
    });
  }

  it('across the pieces of a multi-pass reduction ties still give the first index and NaN still wins', async () => {
    const b = backend();
    const row = 10_000;
    const xs = new Float32Array(2 * row);
    [3000, 7000, 9999].forEach((i) => (xs[i] = 5)); // row 0: three equal maxima in different pieces
    [row + 9500, row + 6100].forEach((i) => (xs[i] = NaN)); // row 1: two NaNs
    const x = upload(b, xs, [2 * row]);
    const layout = { outer: 2, reduceSize: row, inner: 1 };
    const before = b.stats().dispatches;
    expect([...(await b.read(tensor(b.reduce('argmax', x, layout), [2], 'int32')))]).toEqual([3000, 6100]);
    expect(b.stats().dispatches - before, 'more than one pass').toBeGreaterThan(1);
    expect([...(await b.read(tensor(b.reduce('max', x, layout), [2])))]).toEqual([5, NaN]);
    expect([...(await b.read(tensor(b.reduce('argmin', x, layout), [2], 'int32')))]).toEqual([0, 6100]);
  });

  it('float sums are compensated: 1 then 99,999 addends below its rounding step', async () => {
    const b = backend();
    const xs = new Float32Array(100_000).fill(1e-8);
    xs[0] = 1; // uncompensated, every 1e-8 added to a running 1.0 is lost (4e-6 here)
    const got = await b.read(tensor(b.reduce('sum', upload(b, xs, [xs.length]), { outer: 1, reduceSize: xs.length, inner: 1 }), [1]));
    expect(Math.abs(got[0] - (1 + 99_999 * Math.fround(1e-8)))).toBeLessThan(2e-7);
  });

  it('ties give the first index, NaN propagates, empty axes give the identities', async () => {
    const b = backend();
    const x = upload(b, [1, 3, 3, 0, 5, NaN, 2, NaN], [8]);
    const layout = { outer: 2, reduceSize: 4, inner: 1 };
    expect([...(await b.read(tensor(b.reduce('argmax', x, layout), [2], 'int32')))]).toEqual([1, 1]);
    expect([...(await b.read(tensor(b.reduce('max', x, layout), [2])))]).toEqual([3, NaN]);
    const empty = upload(b, [], [0]);
    const none = { outer: 4, reduceSize: 0, inner: 1 };
    expect([...(await b.read(tensor(b.reduce('sum', empty, none), [4])))]).toEqual([0, 0, 0, 0]);
    expect([...(await b.read(tensor(b.reduce('prod', empty, none), [4])))]).toEqual([1, 1, 1, 1]);
    expect([...(await b.read(tensor(b.reduce('max', empty, none), [4])))]).toEqual([-Infinity, -Infinity, -Infinity, -Infinity]);
    expect([...(await b.read(tensor(b.reduce('argmin', empty, none), [4], 'int32')))]).toEqual([0, 0, 0, 0]);
  });

  it('integer sums are exact', async () => {
    const b = backend();
    const values = Array.from({ length: 5000 }, (_, i) => (i % 7) - 3);
    const x = upload(b, values, [5000], 'int32');
    const out = await b.read(tensor(b.reduce('sum', x, { outer: 1, reduceSize: 5000, inner: 1 }), [1], 'int32'));
    expect(out[0]).toBe(values.reduce((a, c) => a + c, 0));
  });
});
