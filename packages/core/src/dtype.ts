/** Element types a tensor can hold. `bool` and `uint8` are stored one byte per element on the CPU. */
export type DType = 'float32' | 'int32' | 'uint8' | 'bool';

export const DTYPES: readonly DType[] = ['float32', 'int32', 'uint8', 'bool'];

export type TypedArray = Float32Array | Int32Array | Uint8Array;

export type ArrayFor<D extends DType> = D extends 'float32' ? Float32Array : D extends 'int32' ? Int32Array : Uint8Array;

export function assertDType(dtype: unknown, where: string): asserts dtype is DType {
  if (typeof dtype !== 'string' || !(DTYPES as readonly string[]).includes(dtype)) {
    throw new Error(`${where}: unknown dtype ${JSON.stringify(dtype)}; valid dtypes are ${DTYPES.join(', ')}`);
  }
}

export function allocArray(dtype: DType, size: number): TypedArray {
  switch (dtype) {
    case 'float32': return new Float32Array(size);
    case 'int32': return new Int32Array(size);
    case 'uint8': case 'bool': return new Uint8Array(size);
  }
}

export function bytesPerElement(dtype: DType): number {
  return dtype === 'float32' || dtype === 'int32' ? 4 : 1;
}

/** The dtype a typed array naturally holds. */
export function dtypeOfArray(values: ArrayBufferView): DType {
  if (values instanceof Float32Array) return 'float32';
  if (values instanceof Int32Array) return 'int32';
  if (values instanceof Uint8Array || values instanceof Uint8ClampedArray) return 'uint8';
  throw new Error(`tensor: unsupported typed array ${values.constructor.name}; use Float32Array, Int32Array or Uint8Array`);
}

/** The result dtype of a binary arithmetic op on two dtypes (numpy-like promotion, float64 absent). */
export function promote(a: DType, b: DType): DType {
  if (a === b) return a === 'bool' ? 'int32' : a;
  if (a === 'float32' || b === 'float32') return 'float32';
  return 'int32';
}

/** Convert values to the representation a dtype stores (int truncation, bool as 0/1, uint8 wrap). */
export function toArray(values: ArrayLike<number>, dtype: DType): TypedArray {
  const out = allocArray(dtype, values.length);
  if (dtype === 'bool') for (let i = 0; i < values.length; i++) out[i] = values[i] ? 1 : 0;
  else out.set(values as ArrayLike<number>);
  return out;
}
