import { IDX_FILES, findIdxFile, loadIdxDataset } from './load.ts';
import { FASHION_MNIST_DIR } from './locations.ts';
import type { DatasetSplits, LoadOptions } from './types.ts';

export const fashionMnist = {
  /** Keras-style: `[[xTrain (60000,28,28), yTrain (60000,)], [xTest (10000,28,28), yTest (10000,)]]`, uint8. */
  loadData(options: LoadOptions = {}): DatasetSplits {
    const dir = options.dir ?? FASHION_MNIST_DIR;
    if (IDX_FILES.some((base) => findIdxFile(dir, base) === undefined)) {
      throw new Error(`Fashion-MNIST not found at ${dir}; install it with: apt-get install dataset-fashion-mnist`);
    }
    return loadIdxDataset(dir);
  },
};
