import { DeviceLostError } from '@strata/core';
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
  /** Dispatches recorded so far (tests check that oversized work was split). */
  dispatches = 0;
  /** The first validation or out-of-memory error Dawn reported; thrown by the next read. */
  private error: Error | undefined;
  /** Set once the device is lost: every later dispatch and read throws it. */
  private lostError: DeviceLostError | undefined;

  constructor(private readonly device: GPUDevice, private readonly pool: BufferPool) {
    device.addEventListener('uncapturederror', (event) => {
      this.error ??= new Error(`WebGPU: ${(event as GPUUncapturedErrorEvent).error.message}`);
    });
    void device.lost.then((info) => {
      this.lostError = new DeviceLostError('webgpu', `${info.reason}: ${info.message || 'no message'}`);
    });
  }

  /** Pipeline checks still running (see PipelineCache); a read waits for them before it reports success. */
  private readonly checks = new Set<Promise<void>>();

  /**
   * Run `check` alongside the queue; an error it returns replaces the one pending (it explains the
   * validation errors it causes, e.g. a shader that did not compile).
   */
  watch(check: Promise<Error | undefined>): void {
    const done = check.then((error) => {
      if (error) this.error = error;
      this.checks.delete(done);
    });
    this.checks.add(done);
  }

  /** Throws when the device is lost. */
  assertAlive(): void {
    if (this.lostError) throw this.lostError;
  }

  /** Bind `params` (as a uniform at binding 0, when given) then `buffers` (whole, or windows) at bindings 1.., and dispatch. */
  dispatch(pipeline: GPUComputePipeline, params: Uint32Array | undefined, buffers: readonly (GPUBuffer | GPUBufferBinding)[], grid: readonly [number, number, number]): void {
    this.assertAlive();
    const entries: GPUBindGroupEntry[] = [];
    if (params) {
      const uniform = this.pool.acquire(params.byteLength, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST);
      this.device.queue.writeBuffer(uniform, 0, params.buffer, params.byteOffset, params.byteLength);
      entries.push({ binding: 0, resource: { buffer: uniform } });
      this.pool.release(uniform); // reusable after this submit
    }
    buffers.forEach((b, i) => entries.push({ binding: i + 1, resource: 'buffer' in b ? b : { buffer: b } }));
    const bindGroup = this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    this.pass ??= this.commandEncoder().beginComputePass();
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, bindGroup);
    this.pass.dispatchWorkgroups(grid[0], grid[1], grid[2]);
    this.dispatches++;
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
      await this.mapped(staging, bytes);
      await Promise.all(this.checks);
      this.throwIfFailed();
      return staging.getMappedRange(0, bytes).slice(0);
    } finally {
      if (staging.mapState === 'mapped') staging.unmap();
      this.pool.release(staging);
    }
  }

  /** Maps `staging`; a map that fails because the device went away throws the device-lost error. */
  private async mapped(staging: GPUBuffer, bytes: number): Promise<void> {
    this.assertAlive();
    try {
      await staging.mapAsync(GPUMapMode.READ, 0, bytes);
    } catch (err) {
      await Promise.race([this.device.lost, new Promise((resolve) => setTimeout(resolve, 100))]);
      this.assertAlive();
      throw err;
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
