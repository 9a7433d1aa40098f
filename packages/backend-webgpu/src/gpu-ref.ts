import type { DataRef, DType, TypedArray } from '@strata/core';

/**
 * A tensor's storage: one pooled GPUBuffer holding every element as a 32-bit word (float32 as f32, int32 as
 * i32, uint8 and bool as u32), so kernels stay simple. Reshaped views share one ref.
 */
export class GpuRef implements DataRef {
  readonly kind = 'webgpu';
  released = false;
  constructor(readonly buffer: GPUBuffer, readonly elements: number) {}
}

export function gpuRef(ref: DataRef): GpuRef {
  if (!(ref instanceof GpuRef)) throw new Error(`webgpu: got a tensor stored by the ${ref.kind} backend`);
  if (ref.released) throw new Error('webgpu: tensor data was already released');
  return ref;
}

/** WGSL element type of each dtype's storage. */
export type WordType = 'f32' | 'i32' | 'u32';

export function wordType(dtype: DType): WordType {
  return dtype === 'float32' ? 'f32' : dtype === 'int32' ? 'i32' : 'u32';
}

/** The 32-bit words to upload: uint8/bool widen to u32. */
export function toWords(values: TypedArray, dtype: DType): Float32Array | Int32Array | Uint32Array {
  switch (dtype) {
    case 'float32': return values instanceof Float32Array ? values : Float32Array.from(values);
    case 'int32': return values instanceof Int32Array ? values : Int32Array.from(values);
    case 'uint8': case 'bool': return Uint32Array.from(values);
  }
}

/** Words read back, narrowed to the dtype's typed array. */
export function fromWords(words: ArrayBuffer, dtype: DType): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(words);
    case 'int32': return new Int32Array(words);
    case 'uint8': case 'bool': return Uint8Array.from(new Uint32Array(words));
  }
}
