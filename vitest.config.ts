import { existsSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

// Without a GPU, Chromium's SwiftShader Vulkan driver gives Dawn a WebGPU adapter (apt-get install
// chromium libvulkan1). An explicit VK_ICD_FILENAMES (a real GPU's driver) wins.
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const icd = process.env.VK_ICD_FILENAMES ?? (existsSync(SWIFTSHADER_ICD) ? SWIFTSHADER_ICD : undefined);

export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'datasets/test/**/*.test.ts', 'examples/*/test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    env: icd ? { VK_ICD_FILENAMES: icd } : {},
  },
});
