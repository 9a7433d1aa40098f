// ready()'s default choice: WebGPU on a hardware adapter, the CPU when WebGPU's only adapter is a software
// fallback (SwiftShader here, as in CI), saying why; setBackend('webgpu') still takes the software adapter.
import { softwareAdapter, softwareAdapterName } from '@strata/backend-webgpu';
import { describe, expect, it } from 'vitest';
import { disposeBackends, ready, setBackend } from '../src/index.ts';

describe('the default backend', () => {
  it('names software fallback adapters from GPUAdapterInfo and leaves hardware ones alone', () => {
    const info = (fields: Partial<GPUAdapterInfo> & { isFallbackAdapter?: boolean }): GPUAdapterInfo => ({ vendor: '', architecture: '', device: '', description: '', ...fields }) as GPUAdapterInfo;
    expect(softwareAdapterName(info({ vendor: 'google', architecture: 'swiftshader' }))).toBe('google swiftshader');
    expect(softwareAdapterName(info({ description: 'llvmpipe (LLVM 15.0.7, 256 bits)' }))).toBe('llvmpipe (LLVM 15.0.7, 256 bits)');
    expect(softwareAdapterName(info({ isFallbackAdapter: true }))).toBe('unnamed fallback adapter');
    expect(softwareAdapterName(info({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA H200' }))).toBeUndefined();
    expect(softwareAdapterName(info({ vendor: 'apple', architecture: 'metal-3', isFallbackAdapter: false }))).toBeUndefined();
  });

  it('ready() prefers the CPU over a software adapter and says so; setBackend("webgpu") still uses it', async () => {
    const software = await softwareAdapter(); // throws (the test fails) when Dawn finds no adapter at all
    const lines: string[] = [];
    try {
      const chosen = await ready({ log: (line) => lines.push(line) });
      expect(lines).toHaveLength(1);
      if (software) {
        expect(chosen.name).toBe('cpu');
        expect(lines[0]).toBe(`strata: using the cpu backend (webgpu not chosen: its adapter is a software fallback (${software}), slower than the CPU backend; setBackend('webgpu') uses it anyway)`);
      } else {
        expect(chosen.name).toBe('webgpu');
        expect(lines[0]).toBe('strata: using the webgpu backend');
      }
      expect((await setBackend('webgpu')).name).toBe('webgpu');
    } finally {
      await disposeBackends();
    }
  });
});
