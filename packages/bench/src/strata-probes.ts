// Counters read around Strata's timed runs: mapAsync calls (WebGPU read-backs) and the time spent in each
// kind of backend op (meaningful on the CPU backend, whose ops run synchronously).
import { getBackend, type Backend } from '@strata/layers';
import type { Probe } from './training.ts';

/** Counts GPUBuffer.mapAsync calls; install before the WebGPU backend starts. */
export async function mapAsyncProbe(): Promise<Probe> {
  const { globals } = await import('webgpu');
  const proto = (globals as { GPUBuffer: { prototype: GPUBuffer } }).GPUBuffer.prototype;
  const mapAsync = proto.mapAsync;
  let calls = 0;
  proto.mapAsync = function (this: GPUBuffer, ...args: Parameters<GPUBuffer['mapAsync']>) {
    calls++;
    return mapAsync.apply(this, args);
  };
  let start = 0;
  return {
    begin: () => void (start = calls),
    end: () => ({ mapAsync: calls - start }),
  };
}

/** The backend's synchronous ops, timed per name. */
const TIMED_OPS = ['unary', 'binary', 'reduce', 'matmul', 'permute', 'slice', 'concat', 'gather', 'cast', 'fill', 'random', 'where', 'upload'] as const;

/** Wraps the current backend's ops to sum the seconds spent in each ('op:matmul', …). */
export function opTimeProbe(backend: Backend = getBackend()): Probe {
  const seconds = new Map<string, number>();
  const target = backend as unknown as Record<string, (...args: unknown[]) => unknown>;
  for (const name of TIMED_OPS) {
    const op = target[name].bind(backend);
    target[name] = (...args: unknown[]) => {
      const start = performance.now();
      try {
        return op(...args);
      } finally {
        seconds.set(name, (seconds.get(name) ?? 0) + (performance.now() - start) / 1000);
      }
    };
  }
  return {
    begin: () => seconds.clear(),
    end: () => Object.fromEntries(TIMED_OPS.map((name) => [`op:${name}`, seconds.get(name) ?? 0])),
  };
}
