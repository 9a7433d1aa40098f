import type { CommandQueue } from './queue.ts';

/**
 * Compute pipelines keyed by shader name + variant (dtype, op, mode). Shapes travel in uniforms, so the
 * number of pipelines stays small and each WGSL module is compiled once per process.
 *
 * Creating a pipeline is synchronous but WebGPU reports a compile error asynchronously, so each miss runs
 * in an error scope: an error becomes the queue's failure (thrown by the next read) naming the pipeline
 * and carrying the compiler's messages with line and column.
 */
export class PipelineCache {
  private readonly pipelines = new Map<string, GPUComputePipeline>();

  constructor(private readonly device: GPUDevice, private readonly queue: CommandQueue) {}

  /** `code` is only called on a miss. */
  get(key: string, code: () => string, entryPoint = 'main'): GPUComputePipeline {
    const cacheKey = `${key}#${entryPoint}`;
    let pipeline = this.pipelines.get(cacheKey);
    if (!pipeline) {
      this.device.pushErrorScope('validation');
      const module = this.device.createShaderModule({ label: key, code: code() });
      pipeline = this.device.createComputePipeline({ label: cacheKey, layout: 'auto', compute: { module, entryPoint } });
      this.queue.watch(this.device.popErrorScope().then((error) => (error ? compileError(cacheKey, module, error) : undefined)));
      this.pipelines.set(cacheKey, pipeline);
    }
    return pipeline;
  }

  get size(): number {
    return this.pipelines.size;
  }
}

/** The error for a pipeline that did not build: its name, then the compiler's messages (or the validation error). */
async function compileError(name: string, module: GPUShaderModule, error: GPUError): Promise<Error> {
  const info = await module.getCompilationInfo();
  const messages = info.messages.filter((m) => m.type === 'error').map((m) => `  line ${m.lineNum}:${m.linePos}: ${m.message}`);
  const detail = messages.length ? `WGSL compile error:\n${messages.join('\n')}` : error.message;
  return new Error(`WebGPU: shader "${name}" failed to build: ${detail}`);
}
