export { parseIdx } from './idx.ts';
export { mnist } from './mnist.ts';
export { fashionMnist, FASHION_MNIST_DIR } from './fashion-mnist.ts';
export type { Uint8Tensor, Split, DatasetSplits, LoadOptions } from './types.ts';
