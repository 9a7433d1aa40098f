import { afterAll, beforeAll } from 'vitest';
import type { DataRef, TensorInfo } from '../../core/src/backend.ts';
import type { DType, TypedArray } from '../../core/src/dtype.ts';
import type { Shape } from '../../core/src/shape.ts';
import { createWebGpuBackend, type WebGpuBackend, type WebGpuBackendOptions } from '../src/index.ts';

/**
 * One backend per test file. Without an adapter `createWebGpuBackend` throws and every test fails: a GPU
 * suite must never silently skip (run with VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json).
 */
export function useBackend(options: WebGpuBackendOptions = {}): () => WebGpuBackend {
  let backend: WebGpuBackend | undefined;
  let failure: unknown;
  beforeAll(async () => {
    try {
      backend = await createWebGpuBackend(options);
    } catch (err) {
      failure = err;
    }
  });
  afterAll(async () => {
    await backend?.dispose();
  });
  return () => {
    if (!backend) throw failure instanceof Error ? failure : new Error('WebGPU backend was not created');
    return backend;
  };
}

export function upload(backend: WebGpuBackend, values: TypedArray | number[], shape: Shape, dtype: DType = 'float32'): TensorInfo {
  const typed = Array.isArray(values) ? (dtype === 'float32' ? Float32Array.from(values) : dtype === 'int32' ? Int32Array.from(values) : Uint8Array.from(values)) : values;
  return { ref: backend.upload(typed, shape, dtype), shape, dtype };
}

export function tensor(ref: DataRef, shape: Shape, dtype: DType = 'float32'): TensorInfo {
  return { ref, shape, dtype };
}

/** Deterministic pseudo-random floats in [-1, 1) (independent of the backend under test). */
export function seeded(n: number, seed = 1): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}
