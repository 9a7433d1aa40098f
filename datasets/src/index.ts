export { parseIdx } from './idx.ts';
export { mnist } from './mnist.ts';
export { fashionMnist } from './fashion-mnist.ts';
export { FASHION_MNIST_DIR } from './locations.ts';
export type { Uint8Tensor, Split, DatasetSplits, LoadOptions } from './types.ts';
