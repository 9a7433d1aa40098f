import type { DataRef, TensorInfo } from '../../core/src/backend.ts';
import type { TypedArray } from '../../core/src/dtype.ts';

/** CPU storage: the values themselves, in the typed array the dtype maps to (see `allocArray`). */
export interface CpuRef extends DataRef {
  readonly kind: 'cpu';
  readonly values: TypedArray;
}

export function cpuRef(values: TypedArray): CpuRef {
  return { kind: 'cpu', values };
}

export function valuesOf(x: TensorInfo): TypedArray {
  if (x.ref.kind !== 'cpu') throw new Error(`cpu backend: got a tensor stored on the ${x.ref.kind} backend`);
  return (x.ref as CpuRef).values;
}
