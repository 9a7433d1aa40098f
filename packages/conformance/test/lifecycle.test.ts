import { expect, it } from 'vitest';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as S from '@strata/core';
import { forEachBackend } from '../src/harness.ts';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

forEachBackend((name) => {
  it('keeps working across garbage collections (a GPU instance must stay referenced while its device lives)', async () => {
    for (let i = 0; i < 3; i++) {
      collectGarbage();
      await new Promise((r) => setTimeout(r, 10));
      const y = S.tidy(() => S.add(S.tensor([1, 2, 3]), i));
      expect(Array.from(await y.data())).toEqual([1 + i, 2 + i, 3 + i]);
      y.dispose();
    }
  });

  it('a backend that fails to start leaves the current one active', async () => {
    S.registerBackend('conformance-broken', async () => {
      throw new Error('no device here');
    });
    await expect(S.setBackend('conformance-broken')).rejects.toThrow('no device here');
    expect(S.getBackend().name).toBe(name);
  });

  it('reports its name and reads asynchronously (and synchronously only on the CPU)', async () => {
    const x = S.tensor([[1, 2], [3, 4]]);
    expect(S.getBackend().name).toBe(name);
    expect(x.backend.name).toBe(name);
    expect(await x.array()).toEqual([[1, 2], [3, 4]]);
    if (name === 'cpu') expect(Array.from(x.dataSync())).toEqual([1, 2, 3, 4]);
    else expect(() => x.dataSync()).toThrow(/dataSync: the webgpu backend reads asynchronously; use await tensor.data\(\)/);
    x.dispose();
  });
});
