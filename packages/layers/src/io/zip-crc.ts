import { strFromU8 } from 'fflate';

/**
 * fflate does not verify the CRC-32 of what it extracts, and a flipped bit inside stored weights would
 * load silently; so the `.keras` reader checks each entry against the CRC in the zip's central
 * directory, as Python's zipfile (and so Keras) does.
 */
const TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;

/** Entry name → CRC-32, from the central directory (fields at the offsets of PKWARE's APPNOTE 4.3.12 and 4.3.16). */
function centralDirectoryCrcs(zip: Uint8Array): Map<string, number> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== END_OF_CENTRAL_DIRECTORY) end--;
  if (end < 0) throw new Error('no end-of-central-directory record');
  const crcs = new Map<string, number>();
  let at = view.getUint32(end + 16, true);
  for (let i = view.getUint16(end + 10, true); i > 0; i--) {
    if (at + 46 > zip.length || view.getUint32(at, true) !== CENTRAL_FILE_HEADER) throw new Error('damaged central directory');
    const nameLength = view.getUint16(at + 28, true);
    crcs.set(strFromU8(zip.subarray(at + 46, at + 46 + nameLength)), view.getUint32(at + 16, true));
    at += 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return crcs;
}

/** Throws naming the first extracted entry whose CRC-32 differs from the archive's record. */
export function verifyCrcs(zip: Uint8Array, entries: Readonly<Record<string, Uint8Array>>): void {
  const crcs = centralDirectoryCrcs(zip);
  for (const [name, content] of Object.entries(entries)) {
    if (crcs.get(name) !== crc32(content)) throw new Error(`entry "${name}" is corrupt (CRC-32 mismatch)`);
  }
}
