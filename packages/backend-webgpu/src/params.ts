/** Uniform data as 32-bit words, padded to a multiple of 16 bytes (the uniform layout's alignment). */
export function packParams(words: readonly number[]): Uint32Array {
  const out = new Uint32Array(Math.ceil(Math.max(words.length, 1) / 4) * 4);
  out.set(words.map((w) => w >>> 0));
  return out;
}

/** The bit pattern of a float32, for float fields in a u32 uniform array. */
export function f32Bits(v: number): number {
  return new Uint32Array(new Float32Array([v]).buffer)[0];
}
