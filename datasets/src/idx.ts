import { gunzipSync } from 'fflate'; // pure JavaScript, so parseIdx runs in browsers too
import type { Uint8Tensor } from './types.ts';

const TYPE_NAMES: Record<number, string> = {
  0x08: 'unsigned byte',
  0x09: 'signed byte',
  0x0b: 'int16',
  0x0c: 'int32',
  0x0d: 'float32',
  0x0e: 'float64',
};

function hex(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

/**
 * Parses an IDX file (optionally gzipped) holding unsigned bytes.
 * `name` is used in error messages (usually the file path).
 */
export function parseIdx(bytes: Uint8Array, name: string): Uint8Tensor {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new Error(`${name}: corrupt gzip data (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  if (bytes.length < 4) {
    throw new Error(`${name}: not an IDX file (only ${bytes.length} bytes, need a 4-byte magic number)`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = Array.from(bytes.subarray(0, 4), hex).join(' ');
    throw new Error(`${name}: bad IDX magic number ${magic} (expected 0x00 0x00 <type> <ndims>)`);
  }
  const type = bytes[2];
  if (type !== 0x08) {
    const typeName = TYPE_NAMES[type] ?? 'unknown';
    throw new Error(`${name}: unsupported IDX type code ${hex(type)} (${typeName}); only 0x08 (unsigned byte) is supported`);
  }
  const ndims = bytes[3];
  if (ndims < 1 || ndims > 5) {
    throw new Error(`${name}: bad IDX dimension count ${ndims} (expected 1..5)`);
  }
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new Error(`${name}: truncated IDX header: expected at least ${headerBytes} bytes, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < ndims; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  if (!Number.isSafeInteger(count)) {
    throw new Error(`${name}: IDX dims [${shape.join(', ')}] are too large`);
  }
  const expected = headerBytes + count;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'trailing bytes';
    throw new Error(
      `${name}: ${what}: IDX shape [${shape.join(', ')}] needs ${expected} bytes, file has ${bytes.length}`,
    );
  }
  return { shape, values: bytes.slice(headerBytes) };
}
