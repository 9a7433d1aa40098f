// Counters read around Strata's timed runs: mapAsync calls (WebGPU read-backs) and the time spent in each
// kind of backend op (meaningful on the CPU backend, whose ops run synchronously).
import { getBackend, type Backend, type DataRef, type TensorInfo } from '@strata/layers';
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
const TIMED_OPS = ['unary', 'binary', 'reduce', 'matmul', 'permute', 'slice', 'concat', 'gather', 'cast', 'im2col', 'col2im', 'fill', 'random', 'where', 'fused', 'upload'] as const;

/** Where a convolution's time is booked: its patches, the matmuls over them, and the patches summed back. */
const CONV: Readonly<Record<string, string>> = { im2col: 'im2col (conv)', matmul: 'matmul (conv)', col2im: 'col2im (conv)' };

/** One op call's booked time, kept for the ref it produced so a later consumer can re-book it. */
interface Booking {
  name: string;
  readonly seconds: number;
  readonly window: number;
}

/**
 * Wraps the current backend's ops to sum the seconds spent in each ('op:matmul', …). Convolution shows up
 * as such: a matmul reading im2col's patches (the forward product and the kernel gradient) is booked with
 * those patches as 'matmul (conv)' and 'im2col (conv)', and a matmul whose output col2im sums back onto an
 * image (the input gradient) as 'matmul (conv)' with that 'col2im (conv)'. The other im2col and col2im
 * calls (pooling's) keep their plain names. Reshapes share the ref, so they do not hide a producer.
 */
export function opTimeProbe(backend: Backend = getBackend()): Probe {
  const seconds = new Map<string, number>();
  const produced = new WeakMap<DataRef, Booking>();
  let window = 0;
  const book = (name: string, s: number): void => void seconds.set(name, (seconds.get(name) ?? 0) + s);
  const rebook = (b: Booking | undefined): void => {
    if (!b || !(b.name in CONV)) return;
    if (b.window === window) {
      book(b.name, -b.seconds);
      book(CONV[b.name], b.seconds);
    }
    b.name = CONV[b.name];
  };
  const tensorsIn = (args: unknown[]): TensorInfo[] => args.filter((a): a is TensorInfo => typeof a === 'object' && a !== null && 'ref' in a);
  const target = backend as unknown as Record<string, (...args: unknown[]) => unknown>;
  // ops an op runs inside it (the CPU's fused programs run node by node as its own ops) are its time
  let depth = 0;
  for (const name of TIMED_OPS) {
    const op = target[name].bind(backend);
    target[name] = (...args: unknown[]) => {
      if (depth > 0) return op(...args);
      const start = performance.now();
      depth++;
      let out: DataRef;
      try {
        out = op(...args) as DataRef;
      } finally {
        depth--;
      }
      const elapsed = (performance.now() - start) / 1000;
      const sources = name === 'matmul' || name === 'col2im' ? tensorsIn(args).map((t) => produced.get(t.ref)) : [];
      const conv = (name === 'matmul' && sources.some((b) => b?.name.startsWith('im2col'))) || (name === 'col2im' && sources.some((b) => b?.name.startsWith('matmul')));
      const booking: Booking = { name: conv ? CONV[name] : name, seconds: elapsed, window };
      book(booking.name, elapsed);
      if (conv) sources.forEach(rebook);
      if (name in CONV) produced.set(out, booking);
      return out;
    };
  }
  return {
    begin: () => {
      seconds.clear();
      window++;
    },
    end: () => Object.fromEntries([...seconds].map(([name, s]) => [`op:${name}`, s])),
  };
}
