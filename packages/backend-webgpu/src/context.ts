import { BufferPool } from './buffer-pool.ts';
import { GpuRef } from './gpu-ref.ts';
import { grid } from './grid.ts';
import { PipelineCache } from './pipeline-cache.ts';
import { CommandQueue } from './queue.ts';
import { SHADERS, type ShaderName } from './shaders.generated.ts';

/** Threads per workgroup of the element-wise kernels (WG in shaders/common.wgsl). */
export const WORKGROUP_SIZE = 256;

/** What every kernel needs: the device, its buffer pool, pipeline cache and command queue. */
export class GpuContext {
  readonly pool: BufferPool;
  readonly pipelines: PipelineCache;
  readonly queue: CommandQueue;
  /** Bound where a kernel's optional input is absent (e.g. matmul without bias). */
  readonly dummy: GPUBuffer;

  constructor(readonly device: GPUDevice) {
    this.pool = new BufferPool(device);
    this.pipelines = new PipelineCache(device);
    this.queue = new CommandQueue(device, this.pool);
    this.dummy = this.pool.acquire(16, storageUsage());
  }

  /** A fresh tensor buffer for `elements` 32-bit words (at least 16 bytes, so size 0 works). */
  alloc(elements: number): GpuRef {
    const bytes = elements * 4;
    const max = Math.min(this.device.limits.maxBufferSize, this.device.limits.maxStorageBufferBindingSize);
    if (bytes > max) throw new Error(`webgpu: a tensor of ${elements} elements (${bytes} bytes) exceeds this device's ${max}-byte buffer limit`);
    return new GpuRef(this.pool.acquire(bytes, storageUsage()), elements);
  }

  /** Pipeline for `key`, compiled on first use from `prelude` + the named shaders, in order. */
  pipeline(key: string, prelude: string, shaders: readonly ShaderName[], entryPoint?: string): GPUComputePipeline {
    return this.pipelines.get(key, () => [prelude, ...shaders.map((s) => SHADERS[s])].join('\n'), entryPoint);
  }

  /** Dispatch `groups` workgroups (split into 2-D when needed). */
  run(pipeline: GPUComputePipeline, params: Uint32Array | undefined, buffers: readonly GPUBuffer[], groups: number): void {
    this.queue.dispatch(pipeline, params, buffers, grid(groups, this.device.limits.maxComputeWorkgroupsPerDimension));
  }

  /** Dispatch one thread per element of an element-wise kernel. */
  runElementwise(pipeline: GPUComputePipeline, params: Uint32Array, buffers: readonly GPUBuffer[], elements: number): void {
    if (elements > 0) this.run(pipeline, params, buffers, Math.ceil(elements / WORKGROUP_SIZE));
  }
}

// A function, not a module constant: in Node, GPUBufferUsage exists only once device.ts has loaded Dawn.
function storageUsage(): GPUBufferUsageFlags {
  return GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
}
