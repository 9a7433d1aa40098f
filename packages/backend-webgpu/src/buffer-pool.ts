/**
 * GPUBuffers pooled by size class and usage. A released buffer may still be read or written by commands
 * recorded but not yet submitted, so it waits in `pending` until the next submit (`onSubmit`); only then
 * can a later allocation reuse it (later writes are queued after that submit, so ordering holds).
 */
export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private pending: GPUBuffer[] = [];
  private pooledBytes = 0;
  private created = 0;

  constructor(private readonly device: GPUDevice) {}

  acquire(bytes: number, usage: GPUBufferUsageFlags): GPUBuffer {
    const size = sizeClass(bytes, this.device.limits.maxBufferSize);
    const reused = this.free.get(key(size, usage))?.pop();
    if (reused) {
      this.pooledBytes -= size;
      return reused;
    }
    this.created++;
    return this.device.createBuffer({ size, usage });
  }

  release(buffer: GPUBuffer): void {
    this.pending.push(buffer);
    this.pooledBytes += buffer.size;
  }

  /** Called after each queue submit: everything released before it may now be reused. */
  onSubmit(): void {
    for (const b of this.pending) {
      const k = key(b.size, b.usage);
      const list = this.free.get(k);
      if (list) list.push(b);
      else this.free.set(k, [b]);
    }
    this.pending = [];
  }

  get bytesInPool(): number {
    return this.pooledBytes;
  }

  /** GPUBuffers created so far (reuse keeps this bounded). */
  get buffersCreated(): number {
    return this.created;
  }

  destroy(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    for (const b of this.pending) b.destroy();
    this.free.clear();
    this.pending = [];
    this.pooledBytes = 0;
  }
}

function key(size: number, usage: GPUBufferUsageFlags): string {
  return `${usage}:${size}`;
}

/**
 * Size classes: powers of two up to 64 KiB, then four steps per octave (≤ 25% waste), at least 16 bytes so
 * every buffer can be bound as vec4 or uniform data; never above the device's maximum buffer size.
 */
export function sizeClass(bytes: number, maxBufferSize: number): number {
  const need = Math.max(16, Math.ceil(bytes / 16) * 16);
  const octave = 2 ** Math.ceil(Math.log2(need));
  if (octave <= 65536) return octave;
  const step = octave / 8;
  const size = Math.ceil(need / step) * step;
  return Math.min(size, Math.max(need, Math.floor(maxBufferSize / 16) * 16));
}
