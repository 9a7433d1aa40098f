import { engine } from './engine.ts';
import { getBackend } from './registry.ts';

export interface MemoryInfo {
  /** Live tensors (views sharing storage count once each). */
  numTensors: number;
  /** Bytes of distinct storage held by live tensors. */
  numBytes: number;
  /** The active backend's own accounting (GPU buffers in use and pooled). */
  backend: { name: string; bytesInUse: number; bytesInPool: number };
}

export function memory(): MemoryInfo {
  const handles = new Set(engine.liveTensorList().map((t) => t.handle));
  let numBytes = 0;
  for (const h of handles) numBytes += h.bytes;
  const b = getBackend();
  return { numTensors: engine.liveTensors(), numBytes, backend: { name: b.name, ...b.memory() } };
}
