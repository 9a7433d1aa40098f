import type {
  Backend, BackendMemory, BinaryOp, DataRef, MatmulSpec, RandomSpec, ReduceLayout, ReduceOp, TensorInfo, UnaryOp,
} from '../../core/src/backend.ts';
import type { DType, TypedArray } from '../../core/src/dtype.ts';
import type { Shape } from '../../core/src/shape.ts';
import { binary } from './kernels/binary.ts';
import { cast } from './kernels/cast.ts';
import { fill } from './kernels/fill.ts';
import { matmul } from './kernels/matmul.ts';
import { concat, gather, permute, slice } from './kernels/movement.ts';
import { random } from './kernels/random.ts';
import { reduce } from './kernels/reduce.ts';
import { unary } from './kernels/unary.ts';
import { where } from './kernels/where.ts';
import type { CpuRef } from './ref.ts';
import { cpuRef, valuesOf } from './ref.ts';

export type { CpuRef } from './ref.ts';

/** Values live in host typed arrays; every kernel is synchronous and returns a fresh array. */
export class CpuBackend implements Backend {
  readonly name = 'cpu';
  private bytesInUse = 0;

  /** Takes ownership of `values` (core uploads a private copy); shape and dtype are carried by core. */
  upload(values: TypedArray, _shape: Shape, _dtype: DType): DataRef {
    return this.track(values);
  }

  read(x: TensorInfo): Promise<TypedArray> {
    return Promise.resolve(this.readSync(x));
  }

  readSync(x: TensorInfo): TypedArray {
    return valuesOf(x).slice();
  }

  release(ref: DataRef): void {
    this.bytesInUse -= (ref as CpuRef).values.byteLength;
  }

  unary(op: UnaryOp, x: TensorInfo): DataRef {
    return this.track(unary(op, valuesOf(x), x.dtype));
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): DataRef {
    return this.track(binary(op, valuesOf(a), a.shape, valuesOf(b), b.shape, a.dtype, outShape));
  }

  reduce(op: ReduceOp, x: TensorInfo, layout: ReduceLayout): DataRef {
    return this.track(reduce(op, valuesOf(x), x.dtype, layout));
  }

  matmul(a: TensorInfo, b: TensorInfo, spec: MatmulSpec): DataRef {
    const bias = spec.bias ? (valuesOf(spec.bias) as Float32Array) : undefined;
    return this.track(matmul(valuesOf(a) as Float32Array, valuesOf(b) as Float32Array, bias, spec));
  }

  permute(x: TensorInfo, perm: readonly number[]): DataRef {
    return this.track(permute(valuesOf(x), x.shape, x.dtype, perm));
  }

  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataRef {
    return this.track(slice(valuesOf(x), x.shape, x.dtype, begin, size));
  }

  concat(xs: readonly TensorInfo[], axis: number): DataRef {
    return this.track(concat(xs.map((x) => ({ values: valuesOf(x), shape: x.shape })), axis, xs[0].dtype));
  }

  gather(x: TensorInfo, indices: TensorInfo): DataRef {
    return this.track(gather(valuesOf(x), x.shape, x.dtype, valuesOf(indices) as Int32Array));
  }

  cast(x: TensorInfo, dtype: DType): DataRef {
    return this.track(cast(valuesOf(x), dtype));
  }

  fill(shape: Shape, value: number, dtype: DType): DataRef {
    return this.track(fill(shape, value, dtype));
  }

  random(shape: Shape, spec: RandomSpec): DataRef {
    return this.track(random(shape, spec));
  }

  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): DataRef {
    return this.track(where(valuesOf(cond), cond.shape, valuesOf(a), a.shape, valuesOf(b), b.shape, a.dtype, outShape));
  }

  memory(): BackendMemory {
    return { bytesInUse: this.bytesInUse, bytesInPool: 0 };
  }

  flush(): void {}

  dispose(): Promise<void> {
    return Promise.resolve();
  }

  private track(values: TypedArray): CpuRef {
    this.bytesInUse += values.byteLength;
    return cpuRef(values);
  }
}

export function createCpuBackend(): CpuBackend {
  return new CpuBackend();
}
