import { sizeOf, type RandomSpec, type Shape } from '@strata/core';
import type { GpuContext } from '../context.ts';
import type { GpuRef } from '../gpu-ref.ts';
import { f32Bits, packParams } from '../params.ts';

/** float32 samples from core's counter-based generator (shaders/random.wgsl ports random.ts). */
export function random(ctx: GpuContext, shape: Shape, spec: RandomSpec): GpuRef {
  const size = sizeOf(shape);
  const out = ctx.alloc(size);
  const entry = spec.kind === 'uniform' ? 'sampleUniform' : 'sampleNormal';
  const pipeline = ctx.pipeline('random', '', ['common', 'math', 'random'], entry);
  // `start` keeps value i a function of (seed, i) when the launch is split
  ctx.runElementwise('random', pipeline, [out.buffer], size, (n, start) => packParams([n, spec.seed, f32Bits(spec.a), f32Bits(spec.b), start]));
  return out;
}
