// The package in a browser (its `browser` export condition): the same names as index.ts, without node:
// imports. A page has no file system, so the loaders throw saying what to do instead; parseIdx works on
// bytes from anywhere (a fetch).
import type { DatasetSplits } from './types.ts';

export { parseIdx } from './idx.ts';
export { FASHION_MNIST_DIR } from './locations.ts';
export type { Uint8Tensor, Split, DatasetSplits, LoadOptions } from './types.ts';

function nodeOnly(name: string): () => DatasetSplits {
  return () => {
    throw new Error(`${name}.loadData() reads files, so it runs in Node only; in a browser, fetch the IDX files and parse them with parseIdx`);
  };
}

export const mnist = { loadData: nodeOnly('mnist') };
export const fashionMnist = { loadData: nodeOnly('fashionMnist') };
