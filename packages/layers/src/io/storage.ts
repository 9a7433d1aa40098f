import { INDEXEDDB_SCHEME, getBytes, putBytes } from './indexeddb.ts';

/** Where a model or weights file is read from: a file path (Node), `indexeddb://<key>` (browser), or the bytes themselves. */
export type SaveSource = string | Uint8Array | ArrayBuffer | Blob;

function nodeFiles(where: string): Promise<typeof import('./node-file.ts')> {
  if (typeof process === 'undefined' || !process.versions?.node) {
    throw new Error(`${where}: file paths need Node; in a browser use "${INDEXEDDB_SCHEME}<key>", modelToBlob() or bytes`);
  }
  return import('./node-file.ts');
}

/** Write `bytes` to a file path (atomically) or to `indexeddb://<key>`. */
export async function writeTo(target: string, bytes: Uint8Array, where: string): Promise<void> {
  if (typeof target !== 'string' || !target) throw new Error(`${where}: expected a file path or "${INDEXEDDB_SCHEME}<key>", got ${JSON.stringify(target)}`);
  if (target.startsWith(INDEXEDDB_SCHEME)) return putBytes(target.slice(INDEXEDDB_SCHEME.length), bytes, where);
  const { writeFileAtomic } = await nodeFiles(where);
  await writeFileAtomic(target, bytes, where);
}

export async function readFrom(source: SaveSource, where: string): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (typeof Blob !== 'undefined' && source instanceof Blob) return new Uint8Array(await source.arrayBuffer());
  if (typeof source !== 'string') throw new Error(`${where}: expected a file path, "${INDEXEDDB_SCHEME}<key>", bytes or a Blob, got ${typeof source}`);
  if (source.startsWith(INDEXEDDB_SCHEME)) return getBytes(source.slice(INDEXEDDB_SCHEME.length), where);
  const { readFileBytes } = await nodeFiles(where);
  return readFileBytes(source, where);
}
