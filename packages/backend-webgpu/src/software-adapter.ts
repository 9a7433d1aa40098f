/**
 * Whether the adapter WebGPU would use is a software fallback (SwiftShader, llvmpipe/lavapipe, WARP): a
 * CPU implementation of the GPU API, slower for training than the CPU backend's own kernels (BENCHMARKS.md:
 * the book's MLP at ≈ 1,500 samples/s on SwiftShader against ≈ 20,000 on the CPU backend). `ready()` asks
 * this before it picks WebGPU; `setBackend('webgpu')` still uses such an adapter when asked.
 */
import { getGpu } from './device.ts';

const SOFTWARE_NAMES = /swiftshader|llvmpipe|lavapipe|softpipe|warp|software/i;

/** The adapter's name when it is a software fallback (`isFallbackAdapter`, or its vendor/architecture says so); else undefined. */
export function softwareAdapterName(info: GPUAdapterInfo & { readonly isFallbackAdapter?: boolean }): string | undefined {
  const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ');
  return info.isFallbackAdapter || SOFTWARE_NAMES.test(name) ? name || 'unnamed fallback adapter' : undefined;
}

/** The default adapter's name when it is a software fallback; undefined for a hardware adapter or none. */
export async function softwareAdapter(): Promise<string | undefined> {
  const adapter = await (await getGpu()).requestAdapter();
  return adapter ? softwareAdapterName(adapter.info) : undefined;
}
