import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../src/index.ts';

describe('CpuBackend bookkeeping', () => {
  it('memory() counts bytes of live refs from uploads and kernel outputs', () => {
    const backend = createCpuBackend();
    const x = { ref: backend.upload(Float32Array.of(1, 2, 3), [3], 'float32'), shape: [3], dtype: 'float32' as const };
    expect(backend.memory()).toEqual({ bytesInUse: 12, bytesInPool: 0 });
    const mask = backend.binary('less', x, x, [3]);
    expect(backend.memory().bytesInUse).toBe(15);
    backend.release(x.ref);
    backend.release(mask);
    expect(backend.memory().bytesInUse).toBe(0);
  });

  it('reads return copies the caller may keep', async () => {
    const backend = createCpuBackend();
    const x = { ref: backend.upload(Int32Array.of(7), [1], 'int32'), shape: [1], dtype: 'int32' as const };
    backend.readSync(x)[0] = 0;
    (await backend.read(x))[0] = 0;
    expect([...backend.readSync(x)]).toEqual([7]);
  });
});
