/**
 * Compute pipelines keyed by shader name + variant (dtype, op, mode). Shapes travel in uniforms, so the
 * number of pipelines stays small and each WGSL module is compiled once per process.
 */
export class PipelineCache {
  private readonly pipelines = new Map<string, GPUComputePipeline>();

  constructor(private readonly device: GPUDevice) {}

  /** `code` is only called on a miss. */
  get(key: string, code: () => string, entryPoint = 'main'): GPUComputePipeline {
    const cacheKey = `${key}#${entryPoint}`;
    let pipeline = this.pipelines.get(cacheKey);
    if (!pipeline) {
      const module = this.device.createShaderModule({ label: key, code: code() });
      pipeline = this.device.createComputePipeline({ label: cacheKey, layout: 'auto', compute: { module, entryPoint } });
      this.pipelines.set(cacheKey, pipeline);
    }
    return pipeline;
  }

  get size(): number {
    return this.pipelines.size;
  }
}
