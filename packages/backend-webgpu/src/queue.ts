import type { BufferPool } from './buffer-pool.ts';

/** Dispatches between automatic submits: keeps the GPU busy and lets released buffers recycle. */
const MAX_BATCH = 128;

/**
 * Records many dispatches into one command encoder and compute pass; `flush()` submits them. Reads are
 * the only sync point: `read()` submits, copies to a MAP_READ staging buffer and awaits the map.
 */
export class CommandQueue {
  private encoder: GPUCommandEncoder | undefined;
  private pass: GPUComputePassEncoder | undefined;
  private batched = 0;
  /** The first validation or out-of-memory error Dawn reported; thrown by the next read. */
  private error: Error | undefined;

  constructor(private readonly device: GPUDevice, private readonly pool: BufferPool) {
    device.addEventListener('uncapturederror', (event) => {
      this.error ??= new Error(`WebGPU: ${(event as GPUUncapturedErrorEvent).error.message}`);
    });
  }

  /** Bind `params` (as a uniform at binding 0, when given) then `buffers` at bindings 1.., and dispatch. */
  dispatch(pipeline: GPUComputePipeline, params: Uint32Array | undefined, buffers: readonly GPUBuffer[], grid: readonly [number, number, number]): void {
    const entries: GPUBindGroupEntry[] = [];
    if (params) {
      const uniform = this.pool.acquire(params.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
      this.device.queue.writeBuffer(uniform, 0, params.buffer, params.byteOffset, params.byteLength);
      entries.push({ binding: 0, resource: { buffer: uniform } });
      this.pool.release(uniform); // reusable after this submit
    }
    buffers.forEach((buffer, i) => entries.push({ binding: i + 1, resource: { buffer } }));
    const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    this.pass ??= this.commandEncoder().beginComputePass();
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, bindGroup);
    this.pass.dispatchWorkgroups(grid[0], grid[1], grid[2]);
    if (++this.batched >= MAX_BATCH) this.flush();
  }

  flush(): void {
    this.pass?.end();
    this.pass = undefined;
    if (this.encoder) this.device.queue.submit([this.encoder.finish()]);
    this.encoder = undefined;
    this.batched = 0;
    this.pool.onSubmit();
  }

  /** The first `bytes` of `buffer`, after all queued work. */
  async read(buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    const staging = this.pool.acquire(bytes, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST);
    this.pass?.end();
    this.pass = undefined;
    this.commandEncoder().copyBufferToBuffer(buffer, 0, staging, 0, bytes);
    this.flush();
    try {
      await staging.mapAsync(GPUMapMode.READ, 0, bytes);
      this.throwIfFailed();
      return staging.getMappedRange(0, bytes).slice(0);
    } finally {
      if (staging.mapState === 'mapped') staging.unmap();
      this.pool.release(staging);
    }
  }

  /** Throws (once) the first error Dawn reported since the last call. */
  throwIfFailed(): void {
    const error = this.error;
    this.error = undefined;
    if (error) throw error;
  }

  /** Resolves when all submitted work has finished. */
  async idle(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
  }

  private commandEncoder(): GPUCommandEncoder {
    this.encoder ??= this.device.createCommandEncoder();
    return this.encoder;
  }
}
