import { afterAll, beforeAll } from 'vitest';
import { provideBackend, registerBackend, setBackend } from '@strata/core';
import { createCpuBackend } from '@strata/backend-cpu';
import { createWebGpuBackend, type WebGpuBackend } from '@strata/backend-webgpu';

/** CPU active, WebGPU registered (a test file's `setBackend('webgpu')` fails, never skips, without an adapter); WebGPU freed after. */
export function useCpuAndWebGpu(): void {
  let gpu: WebGpuBackend | undefined;
  beforeAll(async () => {
    provideBackend('cpu', createCpuBackend());
    registerBackend('webgpu', async () => (gpu = await createWebGpuBackend()));
    await setBackend('cpu');
  });
  afterAll(() => gpu?.dispose());
}
