import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseIdx } from './idx.ts';
import type { DatasetSplits, Split, Uint8Tensor } from './types.ts';

/** Path of `base` in `dir`, plain or gzipped; undefined when neither exists. */
export function findIdxFile(dir: string, base: string): string | undefined {
  for (const file of [join(dir, base), join(dir, `${base}.gz`)]) {
    if (existsSync(file)) return file;
  }
  return undefined;
}

function readIdx(dir: string, base: string): Uint8Tensor {
  const file = findIdxFile(dir, base);
  if (file === undefined) throw new Error(`IDX file ${join(dir, base)}[.gz] not found`);
  return parseIdx(readFileSync(file), file);
}

function readSplit(dir: string, prefix: string): Split {
  const images = readIdx(dir, `${prefix}-images-idx3-ubyte`);
  const labels = readIdx(dir, `${prefix}-labels-idx1-ubyte`);
  if (images.shape.length !== 3) {
    throw new Error(`${prefix} images in ${dir}: expected rank 3 (n, rows, cols), got shape [${images.shape.join(', ')}]`);
  }
  if (labels.shape.length !== 1) {
    throw new Error(`${prefix} labels in ${dir}: expected rank 1 (n), got shape [${labels.shape.join(', ')}]`);
  }
  if (images.shape[0] !== labels.shape[0]) {
    throw new Error(`${prefix} split in ${dir}: ${images.shape[0]} images but ${labels.shape[0]} labels`);
  }
  return [images, labels];
}

/** Reads the standard four MNIST-layout IDX files from `dir`. */
export function loadIdxDataset(dir: string): DatasetSplits {
  return [readSplit(dir, 'train'), readSplit(dir, 't10k')];
}

export const IDX_FILES = [
  'train-images-idx3-ubyte',
  'train-labels-idx1-ubyte',
  't10k-images-idx3-ubyte',
  't10k-labels-idx1-ubyte',
] as const;
