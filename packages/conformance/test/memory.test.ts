import { expect, it } from 'vitest';
import * as S from '@strata/core';
import { forEachBackend } from '../src/harness.ts';

/** The counters that must come back to where they started. */
function counters(): { tensors: number; bytes: number; backendBytes: number } {
  const m = S.memory();
  return { tensors: m.numTensors, bytes: m.numBytes, backendBytes: m.backend.bytesInUse };
}

forEachBackend((name) => {
  it('tidy frees intermediates, keeps what it returns, and memory() returns to baseline', async () => {
    const start = counters();
    const out = S.tidy(() => {
      const a = S.tensor([[1, 2], [3, 4]]);
      const b = S.relu(S.sub(S.matmul(a, a), 10));
      return { sum: S.sum(b), mean: S.mean(b) };
    });
    expect(S.memory().numTensors).toBe(start.tensors + 2);
    expect(await out.sum.array()).toBe(0 + 0 + 5 + 12);
    S.dispose(out);
    expect(counters()).toEqual(start);
    expect(S.memory().backend.name).toBe(name);
  });

  it('nested tidy, keep, and views sharing storage', async () => {
    const start = counters();
    let kept: S.Tensor | undefined;
    const outer = S.tidy(() => {
      const x = S.range(6);
      const inner = S.tidy(() => {
        kept = S.keep(S.mul(x, 2));
        S.add(x, 1); // dropped
        return S.reshape(x, [2, 3]); // a view of x: x stays alive through it
      });
      expect(S.memory().numTensors).toBe(start.tensors + 3);
      return inner;
    });
    expect(S.memory().numTensors).toBe(start.tensors + 2);
    expect(S.memory().numBytes).toBe(start.bytes + 2 * 6 * 4);
    expect(await outer.array()).toEqual([[0, 1, 2], [3, 4, 5]]);
    S.dispose([outer, kept]);
    expect(counters()).toEqual(start);
  });

  it('a throwing tidy still frees what it created; dispose is idempotent', () => {
    const start = counters();
    expect(() => S.tidy(() => {
      S.ones([4]);
      throw new Error('boom');
    })).toThrow('boom');
    const t = S.ones([3]);
    t.dispose();
    t.dispose();
    expect(t.isDisposed).toBe(true);
    expect(counters()).toEqual(start);
  });

  it('Variable.assign releases the old storage; disposing the Variable frees it', () => {
    const start = counters();
    const v = S.tidy(() => new S.Variable(S.zeros([4]), 'w'));
    expect(S.memory().numTensors).toBe(start.tensors + 1);
    for (let i = 0; i < 3; i++) S.tidy(() => v.assign(S.add(v, 1)));
    expect(S.memory().numBytes).toBe(start.bytes + 16);
    v.dispose();
    expect(counters()).toEqual(start);
  });

  it('valueAndGrad leaves only its value and gradients alive', () => {
    const start = counters();
    const x = S.tensor([1, 2, 3]);
    const w = S.tensor([0.5, -1, 2]);
    const { value, grads } = S.valueAndGrad(() => S.sum(S.square(S.mul(S.sub(x, 1), w))), [x, w]);
    expect(S.memory().numTensors).toBe(start.tensors + 2 + 1 + 2);
    S.dispose([value, grads, x, w]);
    expect(counters()).toEqual(start);
    // a failing gradient frees everything too
    const y = S.tensor([1, 2]);
    expect(() => S.grad(() => S.cast(S.argmax(y), 'float32'), [y])).toThrow();
    y.dispose();
    expect(counters()).toEqual(start);
  });

  it('a training-style loop does not grow memory', () => {
    const w = new S.Variable(S.randomNormal([8, 4], 0, 0.1, { seed: 1 }), 'w');
    const x = S.randomUniform([16, 8], 0, 1, { seed: 2 });
    const step = (): void => S.tidy(() => {
      const [g] = S.grad(() => S.mean(S.square(S.matmul(x, w))), [w]);
      w.assign(S.sub(w, S.mul(g, 0.1)));
    });
    step();
    const start = counters();
    for (let i = 0; i < 5; i++) step();
    expect(counters()).toEqual(start);
    S.dispose([w, x]);
  });
});
