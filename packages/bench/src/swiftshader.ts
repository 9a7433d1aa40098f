import { existsSync } from 'node:fs';

/** Chromium's SwiftShader Vulkan driver: Dawn's adapter on machines without a GPU. */
const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';

/** Points Vulkan at SwiftShader unless a driver is chosen already (a real GPU's ICD wins). */
export function useSwiftShaderUnlessSet(): void {
  if (process.env.VK_ICD_FILENAMES === undefined && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}
