import { existsSync } from 'node:fs';
import type { Backend } from '@strata/core';

/** Chromium's SwiftShader Vulkan driver: gives Dawn a WebGPU adapter on machines without a GPU. */
export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

export type BackendName = 'cpu' | 'webgpu';

export interface BackendUnderTest {
  readonly name: BackendName;
  readonly create: () => Promise<Backend>;
}

/** Point Vulkan at SwiftShader unless the environment already names a driver (a real GPU's wins). */
export function useSwiftShaderIfUnset(): void {
  if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}

/** Every backend the suite runs against. A backend that cannot start fails its tests; none is skipped. */
export const BACKENDS: readonly BackendUnderTest[] = [
  {
    name: 'cpu',
    create: async () => (await import('@strata/backend-cpu')).createCpuBackend(),
  },
  {
    name: 'webgpu',
    create: async () => {
      useSwiftShaderIfUnset();
      return (await import('@strata/backend-webgpu')).createWebGpuBackend();
    },
  },
];
