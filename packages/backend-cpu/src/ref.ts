import type { DataRef, TensorInfo, DType, TypedArray } from '@strata/core';
import { wasmRuntime } from './wasm/runtime.ts';

/** CPU storage: a block of the wasm heap (see wasm/heap.ts), so wasm kernels use it in place. */
export interface CpuRef extends DataRef {
  readonly kind: 'cpu';
  /** Byte offset in the wasm memory (16-byte aligned). */
  readonly ptr: number;
  /** Bytes reserved (the heap's size class); given back on release. */
  readonly capacity: number;
  readonly length: number;
  readonly dtype: DType;
}

export function refOf(x: TensorInfo): CpuRef {
  if (x.ref.kind !== 'cpu') throw new Error(`cpu backend: got a tensor stored on the ${x.ref.kind} backend`);
  return x.ref as CpuRef;
}

/**
 * A typed-array view of the values. Take views after allocating outputs: growing an unshared memory
 * (single-threaded pages) detaches the views taken before.
 */
export function viewOf(ref: CpuRef): TypedArray {
  const { buffer } = wasmRuntime().heap.memory;
  switch (ref.dtype) {
    case 'float32': return new Float32Array(buffer, ref.ptr, ref.length);
    case 'int32': return new Int32Array(buffer, ref.ptr, ref.length);
    case 'uint8': case 'bool': return new Uint8Array(buffer, ref.ptr, ref.length);
  }
}

export function valuesOf(x: TensorInfo): TypedArray {
  return viewOf(refOf(x));
}
