import { COMPARE_OPS, bytesPerElement, sizeOf } from '@strata/core';
import type {
  Backend, BackendMemory, BinaryOp, DataRef, FusedProgram, MatmulSpec, PatchSpec, RandomSpec, ReduceLayout, ReduceOp, TensorInfo, UnaryOp, DType, TypedArray, Shape,
} from '@strata/core';
import { binary } from './kernels/binary.ts';
import { cast } from './kernels/cast.ts';
import { col2imWasm, im2colWasm } from './kernels/conv.ts';
import { fill } from './kernels/fill.ts';
import { fusedByKernels } from './kernels/fused.ts';
import { matmul } from './kernels/matmul.ts';
import { concat, gather, permute, slice } from './kernels/movement.ts';
import { random } from './kernels/random.ts';
import { reduce } from './kernels/reduce.ts';
import { unary } from './kernels/unary.ts';
import { binaryWasm, reduceWasm, unaryWasm } from './kernels/wasm-elementwise.ts';
import { where } from './kernels/where.ts';
import type { CpuRef } from './ref.ts';
import { refOf, valuesOf, viewOf } from './ref.ts';
import { BINARY_WASM_OPS, REDUCE_WASM_OPS, UNARY_WASM_OPS } from './wasm/ops.ts';
import type { WasmRuntime } from './wasm/runtime.ts';
import { wasmRuntime } from './wasm/runtime.ts';

export type { CpuRef } from './ref.ts';

/**
 * Values live on a WebAssembly heap shared with the kernels: matmul, the float32 arithmetic,
 * comparisons and sum/max/argmax run in wasm SIMD (matmul on every core), the other kernels are TypeScript
 * over views of the same memory. Every kernel is synchronous and writes a fresh block.
 */
export class CpuBackend implements Backend {
  readonly name = 'cpu';
  private bytesInUse = 0;
  private readonly rt: WasmRuntime = wasmRuntime();

  /** Copies `values` onto the heap; shape and dtype are carried by core. */
  upload(values: TypedArray, _shape: Shape, dtype: DType): DataRef {
    const out = this.output(dtype, values.length);
    viewOf(out).set(values);
    return out;
  }

  /**
   * Also waits, the first time, for the kernel workers to start: they join only when the event loop turns,
   * which a program whose kernels all run synchronously (a benchmark loop) would otherwise never let happen.
   */
  async read(x: TensorInfo): Promise<TypedArray> {
    await this.rt.threadsStarted;
    return this.readSync(x);
  }

  /** A copy in an ordinary (unshared) array the caller may keep. */
  readSync(x: TensorInfo): TypedArray {
    return valuesOf(x).slice();
  }

  release(ref: DataRef): void {
    const { ptr, capacity, length, dtype } = ref as CpuRef;
    this.bytesInUse -= length * bytesPerElement(dtype);
    this.rt.heap.release(ptr, capacity);
  }

  unary(op: UnaryOp, x: TensorInfo): DataRef {
    const out = this.output(x.dtype, sizeOf(x.shape));
    const code = UNARY_WASM_OPS.indexOf(op);
    if (x.dtype === 'float32' && code >= 0) unaryWasm(this.rt, code, refOf(x).ptr, out.ptr, out.length);
    else unary(op, valuesOf(x), x.dtype, viewOf(out));
    return out;
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): DataRef {
    const isCompare = (COMPARE_OPS as readonly string[]).includes(op);
    const out = this.output(isCompare ? 'bool' : a.dtype, sizeOf(outShape));
    const code = BINARY_WASM_OPS.indexOf(op);
    if (a.dtype === 'float32' && code >= 0) binaryWasm(this.rt, code, refOf(a).ptr, a.shape, refOf(b).ptr, b.shape, out.ptr, outShape);
    else binary(op, valuesOf(a), a.shape, valuesOf(b), b.shape, a.dtype, outShape, viewOf(out));
    return out;
  }

  reduce(op: ReduceOp, x: TensorInfo, layout: ReduceLayout): DataRef {
    const isArg = op === 'argmax' || op === 'argmin';
    const out = this.output(isArg ? 'int32' : x.dtype, layout.outer * layout.inner);
    const code = REDUCE_WASM_OPS.indexOf(op);
    if (x.dtype === 'float32' && code >= 0) reduceWasm(this.rt, code, refOf(x).ptr, out.ptr, layout);
    else reduce(op, valuesOf(x), x.dtype, layout, viewOf(out));
    return out;
  }

  matmul(a: TensorInfo, b: TensorInfo, spec: MatmulSpec): DataRef {
    const out = this.output('float32', spec.batch * spec.m * spec.n);
    const bias = spec.bias ? refOf(spec.bias).ptr : 0;
    matmul(this.rt, refOf(a).ptr, refOf(b).ptr, bias, out.ptr, spec);
    return out;
  }

  permute(x: TensorInfo, perm: readonly number[]): DataRef {
    const out = this.output(x.dtype, sizeOf(x.shape));
    permute(valuesOf(x), x.shape, perm, viewOf(out));
    return out;
  }

  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataRef {
    const out = this.output(x.dtype, sizeOf(size));
    slice(valuesOf(x), x.shape, begin, size, viewOf(out));
    return out;
  }

  concat(xs: readonly TensorInfo[], axis: number): DataRef {
    const out = this.output(xs[0].dtype, xs.reduce((total, x) => total + sizeOf(x.shape), 0));
    concat(xs.map((x) => ({ values: valuesOf(x), shape: x.shape })), axis, viewOf(out));
    return out;
  }

  gather(x: TensorInfo, indices: TensorInfo): DataRef {
    const out = this.output(x.dtype, sizeOf(indices.shape) * sizeOf(x.shape.slice(1)));
    gather(valuesOf(x), x.shape, valuesOf(indices) as Int32Array, viewOf(out));
    return out;
  }

  cast(x: TensorInfo, dtype: DType): DataRef {
    const out = this.output(dtype, sizeOf(x.shape));
    cast(valuesOf(x), dtype, viewOf(out));
    return out;
  }

  im2col(x: TensorInfo, spec: PatchSpec, padValue: number): DataRef {
    const out = this.output('float32', spec.batch * spec.outHeight * spec.outWidth * spec.kernelHeight * spec.kernelWidth * spec.channels);
    im2colWasm(this.rt, refOf(x).ptr, out.ptr, spec, padValue);
    return out;
  }

  col2im(cols: TensorInfo, spec: PatchSpec): DataRef {
    const out = this.output('float32', spec.batch * spec.height * spec.width * spec.channels);
    col2imWasm(this.rt, refOf(cols).ptr, out.ptr, spec);
    return out;
  }

  fill(shape: Shape, value: number, dtype: DType): DataRef {
    const out = this.output(dtype, sizeOf(shape));
    fill(value, dtype, viewOf(out));
    return out;
  }

  random(shape: Shape, spec: RandomSpec): DataRef {
    const out = this.output('float32', sizeOf(shape));
    random(spec, viewOf(out) as Float32Array);
    return out;
  }

  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): DataRef {
    const out = this.output(a.dtype, sizeOf(outShape));
    where(valuesOf(cond), cond.shape, valuesOf(a), a.shape, valuesOf(b), b.shape, outShape, viewOf(out));
    return out;
  }

  fused(inputs: readonly TensorInfo[], program: FusedProgram, outShape: Shape): DataRef {
    return fusedByKernels(this, inputs, program, outShape);
  }

  memory(): BackendMemory {
    return { bytesInUse: this.bytesInUse, bytesInPool: 0 };
  }

  flush(): void {}

  /** The heap and the kernel workers are shared by every CpuBackend of the process and outlive it. */
  dispose(): Promise<void> {
    return Promise.resolve();
  }

  /** A heap block for `length` values; allocate before taking input views (see `viewOf`). */
  private output(dtype: DType, length: number): CpuRef {
    const bytes = length * bytesPerElement(dtype);
    const { ptr, capacity } = this.rt.heap.alloc(bytes);
    this.bytesInUse += bytes;
    return { kind: 'cpu', ptr, capacity, length, dtype };
  }
}

export function createCpuBackend(): CpuBackend {
  return new CpuBackend();
}
