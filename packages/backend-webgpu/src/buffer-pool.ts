/**
 * GPUBuffers pooled by size class and usage. A released buffer may still be read or written by commands
 * recorded but not yet submitted, so it waits in `pending` until the next submit (`onSubmit`); only then
 * can a later allocation reuse it (later writes are queued after that submit, so ordering holds).
 *
 * The pool is bounded: after each submit, while the reusable buffers hold more than `maxBytes`, the least
 * recently released one is destroyed (destroying a buffer that submitted work still uses is safe: the
 * device frees it when that work is done).
 */
export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  /** Reusable buffers, least recently released first. */
  private readonly lru = new Set<GPUBuffer>();
  private pending: GPUBuffer[] = [];
  private pooledBytes = 0;
  private created = 0;
  private destroyed = 0;

  constructor(private readonly device: GPUDevice, readonly maxBytes: number) {}

  acquire(bytes: number, usage: GPUBufferUsageFlags): GPUBuffer {
    const size = sizeClass(bytes, this.device.limits.maxBufferSize);
    const reused = this.free.get(key(size, usage))?.pop();
    if (reused) {
      this.lru.delete(reused);
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

  /** Called after each queue submit: everything released before it may now be reused; then trim. */
  onSubmit(): void {
    for (const b of this.pending) {
      const k = key(b.size, b.usage);
      const list = this.free.get(k);
      if (list) list.push(b);
      else this.free.set(k, [b]);
      this.lru.add(b);
    }
    this.pending = [];
    this.trim(this.maxBytes);
  }

  /** Destroy least recently released buffers until the reusable ones hold at most `bytes`. */
  trim(bytes: number): void {
    for (const b of this.lru) {
      if (this.pooledBytes <= bytes) break;
      const list = this.free.get(key(b.size, b.usage));
      list?.splice(list.indexOf(b), 1);
      this.lru.delete(b);
      this.pooledBytes -= b.size;
      this.destroyed++;
      b.destroy();
    }
  }

  get bytesInPool(): number {
    return this.pooledBytes;
  }

  /** GPUBuffers created so far (reuse keeps this bounded). */
  get buffersCreated(): number {
    return this.created;
  }

  /** GPUBuffers the bound made the pool destroy. */
  get buffersTrimmed(): number {
    return this.destroyed;
  }

  destroy(): void {
    for (const list of this.free.values()) for (const b of list) b.destroy();
    for (const b of this.pending) b.destroy();
    this.free.clear();
    this.lru.clear();
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
