import { engine } from './engine.ts';
import { getBackend, startedBackends } from './registry.ts';

export interface MemoryInfo {
  /** Live tensors (views sharing storage count once each). */
  numTensors: number;
  /** Bytes of distinct storage held by live tensors, on every backend. */
  numBytes: number;
  /** Bytes the CPU backend holds for tensors (0 when it has not started). */
  cpuBytes: number;
  /** Bytes of GPU buffers holding tensors (buffer sizes, so rounded up to size classes). */
  gpuBytesInUse: number;
  /** Bytes of GPU buffers released and kept for reuse (bounded; see WebGpuLimits.maxPoolBytes). */
  gpuBytesInPool: number;
  /** Tensors the FinalizationRegistry safety net reclaimed because nothing disposed them (see engine.ts). */
  numReclaimed: number;
  /** The active backend's own accounting. */
  backend: { name: string; bytesInUse: number; bytesInPool: number };
}

export function memory(): MemoryInfo {
  const handles = new Set(engine.liveTensorList().map((t) => t.handle));
  let numBytes = 0;
  for (const h of handles) numBytes += h.bytes;
  const info: MemoryInfo = {
    numTensors: engine.liveTensors(), numBytes, cpuBytes: 0, gpuBytesInUse: 0, gpuBytesInPool: 0,
    numReclaimed: engine.reclaimed, backend: { name: getBackend().name, ...getBackend().memory() },
  };
  for (const b of startedBackends()) {
    const m = b.memory();
    if (b.name === 'cpu') info.cpuBytes += m.bytesInUse;
    else {
      info.gpuBytesInUse += m.bytesInUse;
      info.gpuBytesInPool += m.bytesInPool;
    }
  }
  return info;
}
