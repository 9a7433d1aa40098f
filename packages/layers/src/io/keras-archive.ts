import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { z } from 'zod';
import { parseOptions } from '../training/options.ts';
import { kerasJson } from './keras-json.ts';
import { verifyCrcs } from './zip-crc.ts';

/** The Keras release whose `.keras` layout this writer follows (and the version `metadata.json` names). */
export const KERAS_VERSION = '3.15.1';

/** The three entries of a Keras 3 `.keras` zip. */
export interface KerasArchive {
  readonly config: unknown;
  readonly weights: Uint8Array;
}

/** Keras's `date_saved`: `2026-11-24@15:21:52` (local time). */
function dateSaved(d: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}@${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

/** Stored (uncompressed) entries, as Keras writes them. */
export function packKeras(archive: KerasArchive): Uint8Array<ArrayBuffer> {
  const metadata = { keras_version: KERAS_VERSION, date_saved: dateSaved(new Date()) };
  return zipSync(
    { 'metadata.json': strToU8(JSON.stringify(metadata)), 'config.json': strToU8(kerasJson(archive.config)), 'model.weights.h5': archive.weights },
    { level: 0 },
  );
}

const ENTRIES = ['metadata.json', 'config.json', 'model.weights.h5'];

const metadataSchema = z.looseObject({ keras_version: z.string().regex(/^3\./, 'a Keras 3 file is needed (keras_version 3.x)') });

function parseJson(bytes: Uint8Array, name: string): unknown {
  try {
    return JSON.parse(strFromU8(bytes));
  } catch (error) {
    throw new Error(`${name} is not valid JSON (${(error as Error).message})`);
  }
}

/** An entry that would inflate beyond this size and this ratio to its compressed size is refused as a zip bomb. */
const BOMB_SIZE = 64 * 2 ** 20;
const BOMB_RATIO = 100;

/**
 * Unzip and check a `.keras` file: the zip's CRCs, the three entries, a Keras 3 `metadata.json`. Only those
 * entries are inflated, and only after their declared sizes pass the zip-bomb check (a larger output than
 * declared fails the CRC check instead).
 */
export function unpackKeras(bytes: Uint8Array, where: string): KerasArchive {
  let entries: Record<string, Uint8Array>;
  let bomb: string | undefined;
  try {
    entries = unzipSync(bytes, {
      filter: (file) => {
        if (file.originalSize > BOMB_SIZE && file.originalSize > BOMB_RATIO * file.size) bomb ??= `entry "${file.name}" would inflate ${file.size} bytes to ${file.originalSize}`;
        return !bomb && ENTRIES.includes(file.name);
      },
    });
    if (bomb) throw new Error(bomb);
    verifyCrcs(bytes, entries);
  } catch (error) {
    if (bomb) throw new Error(`${where}: not a valid .keras file: ${bomb} (more than ${BOMB_RATIO} times, beyond ${BOMB_SIZE / 2 ** 20} MiB): refused as a zip bomb`);
    throw new Error(`${where}: not a valid .keras file: the zip archive is truncated or corrupt (${(error as Error).message})`);
  }
  const missing = ENTRIES.filter((name) => !entries[name]);
  if (missing.length) throw new Error(`${where}: not a valid .keras file: missing ${missing.join(', ')} (found ${Object.keys(entries).join(', ') || 'no entries'})`);
  parseOptions(metadataSchema, parseJson(entries['metadata.json'], `${where}: metadata.json`), `${where}: metadata.json`);
  return { config: parseJson(entries['config.json'], `${where}: config.json`), weights: entries['model.weights.h5'] };
}
