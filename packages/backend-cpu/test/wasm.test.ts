import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs helper of the generator script, without type declarations
import { sourceHash } from '../scripts/wasm-sources.mjs';
import { PLAIN_WASM, SHARED_WASM, SOURCE_HASH } from '../src/wasm/kernels.generated.ts';
import { sizeClass } from '../src/wasm/heap.ts';

describe('generated wasm module', () => {
  it('kernels.generated.ts matches assembly/*.ts and the compiler flags (run scripts/gen-wasm.mjs if not)', () => {
    expect(SOURCE_HASH).toBe((sourceHash as () => string)());
  });

  it('stays under the 4 KiB that browsers compile synchronously on their main thread', () => {
    for (const base64 of [SHARED_WASM, PLAIN_WASM]) expect(atob(base64).length).toBeLessThanOrEqual(4096);
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
