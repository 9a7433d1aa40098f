// NumPy's .npy format (version 1.0), the way arrays cross to and from the Python leg: a magic string, a
// little header naming the dtype and shape, then the values in C order.
import { readFileSync, writeFileSync } from 'node:fs';
import type { TypedArray } from '@strata/layers';

export interface NpyArray {
  values: TypedArray;
  shape: number[];
}

const MAGIC = '\x93NUMPY';
const DESCR = { float32: '<f4', int32: '<i4', uint8: '|u1' } as const;
const ARRAYS = { '<f4': Float32Array, '<i4': Int32Array, '|u1': Uint8Array } as const;

function descrOf(values: TypedArray): string {
  if (values instanceof Float32Array) return DESCR.float32;
  return values instanceof Int32Array ? DESCR.int32 : DESCR.uint8;
}

export function writeNpy(path: string, { values, shape }: NpyArray): void {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  const dict = `{'descr': '${descrOf(values)}', 'fortran_order': False, 'shape': (${dims}), }`;
  // the header (magic, version, length, dict, newline) is padded with spaces to a multiple of 64 bytes
  const unpadded = MAGIC.length + 4 + dict.length + 1;
  const header = `${dict}${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const head = new Uint8Array(MAGIC.length + 4 + header.length);
  head.set(Buffer.from(MAGIC, 'latin1'));
  head.set([1, 0, header.length & 0xff, header.length >> 8], MAGIC.length);
  head.set(Buffer.from(header, 'latin1'), MAGIC.length + 4);
  writeFileSync(path, Buffer.concat([head, new Uint8Array(values.buffer, values.byteOffset, values.byteLength)]));
}

export function readNpy(path: string): NpyArray {
  const bytes = readFileSync(path);
  if (bytes.toString('latin1', 0, MAGIC.length) !== MAGIC) throw new Error(`${path}: not a .npy file`);
  const major = bytes[MAGIC.length];
  const lengthBytes = major === 1 ? 2 : 4;
  const start = MAGIC.length + 2;
  const headerLength = lengthBytes === 2 ? bytes.readUInt16LE(start) : bytes.readUInt32LE(start);
  const header = bytes.toString('latin1', start + lengthBytes, start + lengthBytes + headerLength);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const shapeText = /'shape':\s*\(([^)]*)\)/.exec(header)?.[1];
  if (/'fortran_order':\s*True/.test(header)) throw new Error(`${path}: Fortran-ordered arrays are not read`);
  if (descr === undefined || !(descr in ARRAYS) || shapeText === undefined) {
    throw new Error(`${path}: expected a ${Object.keys(ARRAYS).join(', ')} array, got header ${header.trim()}`);
  }
  const shape = shapeText.split(',').map((d) => d.trim()).filter(Boolean).map(Number);
  const data = bytes.subarray(start + lengthBytes + headerLength);
  const Type = ARRAYS[descr as keyof typeof ARRAYS];
  // copied into a fresh buffer: the file's bytes need not be aligned for the typed array
  const values = new Type(new Uint8Array(data).buffer);
  return { values, shape };
}
