/** Device acquisition: `navigator.gpu` in browsers, Dawn (the optional `webgpu` npm package, see dawn.ts) in Node. */
import { loadDawn } from './dawn.ts';

export interface AcquiredDevice {
  readonly device: GPUDevice;
  /** Whether we created the device (and so destroy it on dispose). */
  readonly owned: boolean;
}

/** The limits we raise to the adapter's maxima: big tensors need big bindings and grids. */
const WANTED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxStorageBuffersPerShaderStage',
] as const;

/**
 * Dawn's GPU object owns the native instance that every device polls: if it is garbage-collected while a
 * device lives, Dawn crashes (null mutex in ProcessEvents). So it is created once and held for good.
 */
let dawnGpu: GPU | undefined;

export async function getGpu(): Promise<GPU> {
  if (typeof navigator !== 'undefined' && navigator.gpu) return navigator.gpu;
  if (!dawnGpu) {
    const dawn = await loadDawn();
    Object.assign(globalThis, dawn.globals); // GPUBufferUsage, GPUMapMode, … as in a browser
    dawnGpu = dawn.create([]);
  }
  return dawnGpu;
}

export async function acquireDevice(device?: GPUDevice): Promise<AcquiredDevice> {
  if (device) return { device, owned: false };
  const adapter = await (await getGpu()).requestAdapter();
  if (!adapter) {
    throw new Error('WebGPU: no adapter found (requestAdapter() returned null; in Node set VK_ICD_FILENAMES to a Vulkan driver such as SwiftShader)');
  }
  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) requiredLimits[name] = adapter.limits[name];
  // Subgroups let the matmul share loads between lanes on CPU adapters (see shaders/matmul-quad.wgsl).
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('subgroups') ? ['subgroups'] : [];
  return { device: await adapter.requestDevice({ requiredLimits, requiredFeatures }), owned: true };
}
