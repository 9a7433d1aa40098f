import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper of the generator script, without type declarations
import { sourceHash } from '../scripts/wasm-sources.mjs';
import { PLAIN_RELAXED_WASM, PLAIN_WASM, SHARED_RELAXED_WASM, SHARED_WASM, SOURCE_HASH } from '../src/wasm/kernels.generated.ts';
import { sizeClass } from '../src/wasm/heap.ts';

describe('generated wasm module', () => {
  it('kernels.generated.ts matches assembly/*.ts and the compiler flags (run scripts/gen-wasm.mjs if not)', () => {
    expect(SOURCE_HASH).toBe((sourceHash as () => string)());
  });

  // Compiled synchronously on the main thread: Chrome allowed that only up to 4 KiB before version 114
  // (2023, the limit removed; Firefox and Safari never had one). The module stays small all the same.
  it('each build stays under 8 KiB (it is compiled synchronously)', () => {
    for (const base64 of [SHARED_WASM, PLAIN_WASM, SHARED_RELAXED_WASM, PLAIN_RELAXED_WASM]) expect(atob(base64).length).toBeLessThanOrEqual(8192);
  });
});

describe('heap size classes', () => {
  it('are v128-aligned, at most 63 bytes or 25% larger than asked, and stable', () => {
    for (const bytes of [1, 63, 64, 65, 1000, 1025, 4096, 4097, 1605632, 188160000]) {
      const c = sizeClass(bytes);
      expect(c % 16).toBe(0);
      expect(c).toBeGreaterThanOrEqual(bytes);
      expect(c).toBeLessThanOrEqual(Math.max(bytes + 63, bytes * 1.25));
      expect(sizeClass(c)).toBe(c);
    }
  });
});
