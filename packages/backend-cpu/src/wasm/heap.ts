const PAGE_BYTES = 65536;
/** wasm32's limit, declared as the memory's maximum (see scripts/wasm-sources.mjs). */
export const MAX_PAGES = 65536;

/**
 * Size class of a request: multiples of 64 bytes up to 1 KiB, then four classes per power of two, so a
 * block wastes at most 25% and the same tensor shapes (every training step allocates the same ones)
 * find their freed blocks again. Every class is a multiple of 16: all blocks are v128-aligned.
 */
export function sizeClass(bytes: number): number {
  if (bytes <= 1024) return Math.max(64, Math.ceil(bytes / 64) * 64);
  const quarter = 2 ** (Math.ceil(Math.log2(bytes)) - 3);
  return Math.ceil(bytes / quarter) * quarter;
}

/**
 * Blocks of a WebAssembly.Memory for tensors and scratch, so wasm kernels work on tensor storage in
 * place. Freed blocks wait in per-class free lists; the memory grows (never shrinks) when they run out.
 */
export class Heap {
  private top: number;
  private readonly free = new Map<number, number[]>();

  constructor(readonly memory: WebAssembly.Memory, base: number) {
    this.top = base;
  }

  /** A v128-aligned block of at least `bytes`; `capacity` is what `release` must be given back. */
  alloc(bytes: number): { ptr: number; capacity: number } {
    const capacity = sizeClass(bytes);
    const ptr = this.free.get(capacity)?.pop() ?? this.bump(capacity);
    return { ptr, capacity };
  }

  release(ptr: number, capacity: number): void {
    const list = this.free.get(capacity);
    if (list) list.push(ptr);
    else this.free.set(capacity, [ptr]);
  }

  private bump(capacity: number): number {
    const ptr = this.top;
    const end = ptr + capacity;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = have / PAGE_BYTES;
      const need = Math.ceil((end - have) / PAGE_BYTES);
      // Grow by at least a quarter so a growing model does not grow the memory once per tensor.
      const grow = Math.min(Math.max(need, pages >> 2), MAX_PAGES - pages);
      if (grow < need) throw new Error(`cpu backend: out of memory allocating ${bytes(capacity)} (wasm32 memory holds at most 4 GiB; ${bytes(have)} in use)`);
      this.memory.grow(grow);
    }
    this.top = end;
    return ptr;
  }
}

function bytes(n: number): string {
  return `${(n / 2 ** 20).toFixed(1)} MiB`;
}
