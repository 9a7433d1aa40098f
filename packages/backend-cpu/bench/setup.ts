// What both benches share: a CPU backend whose worker threads have started, and random float32 tensors on it.
import type { TensorInfo } from '../../core/src/backend.ts';
import { createCpuBackend } from '../src/index.ts';
import { wasmRuntime } from '../src/wasm/runtime.ts';

export const backend = createCpuBackend();
export const rt = wasmRuntime();
await rt.threadsStarted;

/** A flat float32 tensor of values in [-0.5, 0.5). */
export function tensor(length: number): TensorInfo {
  const values = Float32Array.from({ length }, () => Math.random() - 0.5);
  return { ref: backend.upload(values, [length], 'float32'), shape: [length], dtype: 'float32' };
}
