/// <reference types="@webgpu/types" preserve="true" />
import { sizeOf } from '@strata/core';
import type {
  Backend, BackendMemory, BinaryOp, DataRef, FusedProgram, MatmulSpec, PatchSpec, RandomSpec, ReduceLayout, ReduceOp, TensorInfo, UnaryOp, DType, TypedArray, Shape,
} from '@strata/core';
import { GpuContext, type WebGpuLimits } from './context.ts';
import { acquireDevice } from './device.ts';
import { fromWords, gpuRef, toWords } from './gpu-ref.ts';
import { binary } from './kernels/binary.ts';
import { cast } from './kernels/cast.ts';
import { col2im, im2col } from './kernels/conv.ts';
import { fill } from './kernels/fill.ts';
import { fused } from './kernels/fused.ts';
import { gather } from './kernels/gather.ts';
import { matmul } from './kernels/matmul.ts';
import { concat, permute, slice } from './kernels/movement.ts';
import { random } from './kernels/random.ts';
import { reduce } from './kernels/reduce.ts';
import { unary } from './kernels/unary.ts';
import { where } from './kernels/where.ts';

export { GpuRef } from './gpu-ref.ts';
export { softwareAdapter, softwareAdapterName } from './software-adapter.ts';
export type { WebGpuLimits } from './context.ts';

export interface WebGpuBackendOptions {
  /** Use this device instead of requesting one; the caller keeps ownership (dispose does not destroy it). */
  readonly device?: GPUDevice;
  /** Limits below the device's (binding size, grid, pool bound); kernels split work to respect them. */
  readonly limits?: WebGpuLimits;
}

/** Counters for tests and tuning. */
export interface WebGpuStats {
  readonly buffersCreated: number;
  readonly pipelines: number;
  /** Pooled buffers destroyed to keep the pool within its bound. */
  readonly buffersTrimmed: number;
  readonly dispatches: number;
}

/** The WebGPU backend: WGSL kernels from /shaders, batched into few submits; reads are the only sync point. */
export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  private readonly ctx: GpuContext;
  private bytesInUse = 0;

  constructor(readonly device: GPUDevice, private readonly ownsDevice: boolean, limits: WebGpuLimits = {}) {
    this.ctx = new GpuContext(device, limits);
  }

  upload(values: TypedArray, shape: Shape, dtype: DType): DataRef {
    const size = sizeOf(shape);
    if (values.length !== size) throw new Error(`webgpu upload: ${values.length} values for shape [${shape.join(', ')}] (${size} elements)`);
    this.ctx.queue.assertAlive();
    const ref = this.track(this.ctx.alloc(size));
    const words = toWords(values, dtype);
    if (size > 0) this.device.queue.writeBuffer(ref.buffer, 0, words.buffer, words.byteOffset, words.byteLength);
    return ref;
  }

  async read(x: TensorInfo): Promise<TypedArray> {
    const ref = gpuRef(x.ref);
    const bytes = sizeOf(x.shape) * 4;
    if (bytes === 0) {
      this.ctx.queue.throwIfFailed();
      return fromWords(new ArrayBuffer(0), x.dtype);
    }
    return fromWords(await this.ctx.queue.read(ref.buffer, bytes), x.dtype);
  }

  release(ref: DataRef): void {
    const r = gpuRef(ref);
    r.released = true;
    this.bytesInUse -= r.buffer.size;
    this.ctx.pool.release(r.buffer);
  }

  unary(op: UnaryOp, x: TensorInfo): DataRef {
    return this.track(unary(this.ctx, op, x));
  }

  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): DataRef {
    return this.track(binary(this.ctx, op, a, b, outShape));
  }

  reduce(op: ReduceOp, x: TensorInfo, layout: ReduceLayout): DataRef {
    return this.track(reduce(this.ctx, op, x, layout));
  }

  matmul(a: TensorInfo, b: TensorInfo, spec: MatmulSpec): DataRef {
    return this.track(matmul(this.ctx, a, b, spec));
  }

  permute(x: TensorInfo, perm: readonly number[]): DataRef {
    return this.track(permute(this.ctx, x, perm));
  }

  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataRef {
    return this.track(slice(this.ctx, x, begin, size));
  }

  concat(xs: readonly TensorInfo[], axis: number): DataRef {
    return this.track(concat(this.ctx, xs, axis));
  }

  gather(x: TensorInfo, indices: TensorInfo): DataRef {
    return this.track(gather(this.ctx, x, indices));
  }

  cast(x: TensorInfo, dtype: DType): DataRef {
    return this.track(cast(this.ctx, x, dtype));
  }

  im2col(x: TensorInfo, spec: PatchSpec, padValue: number): DataRef {
    return this.track(im2col(this.ctx, x, spec, padValue));
  }

  col2im(cols: TensorInfo, spec: PatchSpec): DataRef {
    return this.track(col2im(this.ctx, cols, spec));
  }

  fill(shape: Shape, value: number, dtype: DType): DataRef {
    return this.track(fill(this.ctx, shape, value, dtype));
  }

  random(shape: Shape, spec: RandomSpec): DataRef {
    return this.track(random(this.ctx, shape, spec));
  }

  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): DataRef {
    return this.track(where(this.ctx, cond, a, b, outShape));
  }

  fused(inputs: readonly TensorInfo[], program: FusedProgram, outShape: Shape): DataRef {
    return this.track(fused(this.ctx, inputs, program, outShape));
  }

  memory(): BackendMemory {
    return { bytesInUse: this.bytesInUse, bytesInPool: this.ctx.pool.bytesInPool };
  }

  stats(): WebGpuStats {
    return { buffersCreated: this.ctx.pool.buffersCreated, pipelines: this.ctx.pipelines.size, buffersTrimmed: this.ctx.pool.buffersTrimmed, dispatches: this.ctx.queue.dispatches };
  }

  flush(): void {
    this.ctx.queue.flush();
  }

  async dispose(): Promise<void> {
    await this.ctx.queue.idle();
    this.ctx.pool.destroy();
    if (this.ownsDevice) this.device.destroy();
  }

  private track<R extends { buffer: GPUBuffer }>(ref: R): R {
    this.bytesInUse += ref.buffer.size;
    return ref;
  }
}

/** Creates the backend on the given device, or on the first adapter (throws "WebGPU: no adapter found" without one). */
export async function createWebGpuBackend(options: WebGpuBackendOptions = {}): Promise<WebGpuBackend> {
  const { device, owned } = await acquireDevice(options.device);
  return new WebGpuBackend(device, owned, options.limits);
}
