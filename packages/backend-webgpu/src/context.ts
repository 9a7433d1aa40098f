import { BufferPool } from './buffer-pool.ts';
import { GpuRef } from './gpu-ref.ts';
import { grid } from './grid.ts';
import { PipelineCache } from './pipeline-cache.ts';
import { CommandQueue } from './queue.ts';
import { SHADERS, type ShaderName } from './shaders.generated.ts';
import { splitRows, type RowAccess } from './split.ts';

/** Threads per workgroup of the element-wise kernels (WG in shaders/common.wgsl). */
export const WORKGROUP_SIZE = 256;

/** Device limits the kernels respect; tests may set them below the device's to exercise splitting cheaply. */
export interface WebGpuLimits {
  /** Largest storage binding in bytes (at most the device's `maxStorageBufferBindingSize`). */
  readonly maxStorageBufferBindingSize?: number;
  /** Workgroups per grid dimension (at most the device's `maxComputeWorkgroupsPerDimension`). */
  readonly maxComputeWorkgroupsPerDimension?: number;
  /** Bytes the buffer pool may hold for reuse before it destroys the least recently released. */
  readonly maxPoolBytes?: number;
}

/** Default bound of the buffer pool: enough for the book network's working set many times over. */
const DEFAULT_MAX_POOL_BYTES = 256 * 2 ** 20;

/** One launch's view of its rows: where they start and each operand's word offset in its binding. */
export interface RowsView {
  readonly start: number;
  readonly rows: number;
  readonly offsets: readonly number[];
}

/** A grid: a workgroup count (split into 2-D as needed) or explicit 3-D dimensions. */
export type Groups = number | readonly [number, number, number];

/** What every kernel needs: the device, its buffer pool, pipeline cache and command queue. */
export class GpuContext {
  readonly pool: BufferPool;
  readonly pipelines: PipelineCache;
  readonly queue: CommandQueue;
  /** Bound where a kernel's optional input is absent (e.g. matmul without bias). */
  readonly dummy: GPUBuffer;
  readonly maxBindingBytes: number;
  readonly maxGroupsPerDim: number;

  constructor(readonly device: GPUDevice, limits: WebGpuLimits = {}) {
    const own = device.limits;
    this.maxBindingBytes = Math.min(own.maxStorageBufferBindingSize, limits.maxStorageBufferBindingSize ?? Infinity);
    this.maxGroupsPerDim = Math.min(own.maxComputeWorkgroupsPerDimension, limits.maxComputeWorkgroupsPerDimension ?? Infinity);
    this.pool = new BufferPool(device, limits.maxPoolBytes ?? DEFAULT_MAX_POOL_BYTES);
    this.queue = new CommandQueue(device, this.pool);
    this.pipelines = new PipelineCache(device, this.queue);
    this.dummy = this.pool.acquire(16, storageUsage());
  }

  /** A fresh tensor buffer for `elements` 32-bit words (at least 16 bytes, so size 0 works). */
  alloc(elements: number): GpuRef {
    const bytes = elements * 4;
    const max = this.device.limits.maxBufferSize;
    if (bytes > max) throw new Error(`webgpu: a tensor of ${elements} elements (${bytes} bytes) exceeds this device's ${max}-byte maxBufferSize`);
    return new GpuRef(this.pool.acquire(bytes, storageUsage()), elements);
  }

  /** Pipeline for `key`, compiled on first use from `prelude` + the named shaders, in order. */
  pipeline(key: string, prelude: string, shaders: readonly ShaderName[], entryPoint?: string): GPUComputePipeline {
    return this.pipelines.get(key, () => [prelude, ...shaders.map((s) => SHADERS[s])].join('\n'), entryPoint);
  }

  /**
   * Launch `pipeline` over `rows` rows of work. `params` gives the uniform for a launch, `groups` its grid.
   * When every operand's buffer fits one binding and the grid fits (`maxRows`), this is one dispatch on
   * whole buffers; otherwise one dispatch per chunk of rows, each binding windows of the buffers.
   */
  runRows(what: string, pipeline: GPUComputePipeline, rows: number, operands: readonly RowAccess[],
    params: (view: RowsView) => Uint32Array, groups: (rows: number) => Groups, maxRows = Infinity): void {
    if (rows === 0) return;
    if (rows <= maxRows && operands.every((op) => op.buffer.size <= this.maxBindingBytes)) {
      this.dispatch(pipeline, params({ start: 0, rows, offsets: operands.map((op) => op.base ?? 0) }), operands.map((op) => op.buffer), groups(rows));
      return;
    }
    const limits = { maxWords: this.maxBindingWords, alignWords: this.alignWords, maxRows };
    for (const chunk of splitRows(what, rows, operands, limits)) this.dispatch(pipeline, params(chunk), chunk.bindings, groups(chunk.rows));
  }

  /** One thread per element; every operand is indexed by the element (`params` gets the launch's first element). */
  runElementwise(what: string, pipeline: GPUComputePipeline, buffers: readonly GPUBuffer[], elements: number, params: (size: number, start: number) => Uint32Array): void {
    const operands = buffers.map((buffer) => ({ buffer, stride: 1, span: 1 }));
    this.runRows(what, pipeline, elements, operands, (v) => params(v.rows, v.start), (n) => Math.ceil(n / WORKGROUP_SIZE), this.maxFlatGroups * WORKGROUP_SIZE);
  }

  get maxBindingWords(): number {
    return Math.floor(this.maxBindingBytes / 4);
  }

  /** Words one operand's window may span when it is offsettable (its window may start alignWords - 1 words early). */
  get maxWindowWords(): number {
    return this.maxBindingWords - this.alignWords + 1;
  }

  /** Storage binding offsets are multiples of this many words. */
  get alignWords(): number {
    return this.device.limits.minStorageBufferOffsetAlignment / 4;
  }

  /** Workgroups one launch can have when its grid is split into 2-D. */
  get maxFlatGroups(): number {
    return this.maxGroupsPerDim ** 2;
  }

  private dispatch(pipeline: GPUComputePipeline, params: Uint32Array, buffers: readonly (GPUBuffer | GPUBufferBinding)[], groups: Groups): void {
    const dims = typeof groups === 'number' ? grid(groups, this.maxGroupsPerDim) : groups;
    if (dims.some((d) => d > this.maxGroupsPerDim)) throw new Error(`webgpu: grid [${dims.join(', ')}] exceeds this device's ${this.maxGroupsPerDim} workgroups per dimension`);
    this.queue.dispatch(pipeline, params, buffers, dims);
  }
}

// A function, not a module constant: in Node, GPUBufferUsage exists only once device.ts has loaded Dawn.
function storageUsage(): GPUBufferUsageFlags {
  return GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
}
