import { standardNormal, uniform01, type RandomSpec } from '@strata/core';

/** float32 values from core's counter-based generator, so every backend produces the same bits. */
export function random(spec: RandomSpec, out: Float32Array): void {
  const { seed, a, b } = spec;
  if (spec.kind === 'uniform') for (let i = 0; i < out.length; i++) out[i] = a + (b - a) * uniform01(seed, i);
  else for (let i = 0; i < out.length; i++) out[i] = a + b * standardNormal(seed, i);
}
