import { describe, expect, it } from 'vitest';
import { DeviceLostError } from '../../core/src/device-lost.ts';
import { GpuContext } from '../src/context.ts';
import { createWebGpuBackend } from '../src/index.ts';
import { seeded, tensor, upload, useBackend } from './helpers.ts';

const POOL_BYTES = 64 * 1024;
const backend = useBackend({ limits: { maxPoolBytes: POOL_BYTES } });

describe('buffer pool bound', () => {
  it('trims the least recently released buffers to stay within maxPoolBytes', async () => {
    const b = backend();
    // 40 tensors of distinct sizes (1 KiB to 40 KiB): 820 KiB released, far over the 64 KiB bound
    const refs = Array.from({ length: 40 }, (_, i) => b.fill([256 * (i + 1)], i, 'float32'));
    for (const r of refs) b.release(r);
    b.flush();
    expect(b.memory().bytesInPool).toBeLessThanOrEqual(POOL_BYTES);
    expect(b.stats().buffersTrimmed).toBeGreaterThan(30);
    // the most recently released survive: the last size is reused, not created again
    const created = b.stats().buffersCreated;
    const again = b.upload(new Float32Array(256 * 40).fill(1), [256 * 40], 'float32'); // an upload needs no uniform buffer
    expect(b.stats().buffersCreated).toBe(created);
    expect((await b.read(tensor(again, [256 * 40])))[0]).toBe(1);
    b.release(again);
  });
});

describe('shader errors', () => {
  it('a WGSL compile error names the shader and carries the compiler message with line and column', async () => {
    const b = backend();
    const ctx = new GpuContext(b.device);
    ctx.pipelines.get('deliberately-bad', () => 'fn main( {\n}', 'main');
    await expect(ctx.queue.read(ctx.alloc(4).buffer, 16)).rejects.toThrow(/WebGPU: shader "deliberately-bad#main" failed to build: WGSL compile error:\n {2}line 1:10: expected '\)'/);
  });
});

describe('device loss', () => {
  it('after device.destroy() reads and new work throw DeviceLostError; dispose still works', async () => {
    const own = await createWebGpuBackend();
    const x = upload(own, seeded(64), [64]);
    const y = own.unary('exp', x);
    own.device.destroy();
    const lost = own.read(tensor(y, [64]));
    await expect(lost).rejects.toBeInstanceOf(DeviceLostError);
    await expect(lost).rejects.toThrow(/the webgpu device was lost \(destroyed: .*\); tensors stored on it are gone/);
    expect(() => own.unary('neg', x)).toThrow(DeviceLostError);
    expect(() => own.upload(new Float32Array(4), [4], 'float32')).toThrow(DeviceLostError);
    await own.dispose();
  });
});
