// The functional API on MNIST: two inputs (the image, and a summary of it) and two heads (the digit, and
// whether it is odd). Shared by the command-line example and its CI test so both run the same code.
import type { Split } from '@strata/datasets';
import { Model, cast, concat, div, input, layers, mean, mod, reshape, square, sub, tensor, tidy, type SymbolicTensor, type Tensor } from '@strata/layers';

/** Rows of the 28×28 image summarized per band: 4 bands of 7 rows, each giving a mean and a variance. */
const BANDS = 4;

export interface TwoHeadsData {
  x: { image: Tensor; meta: Tensor };
  y: { digit: Tensor; parity: Tensor };
}

/**
 * `image`: pixels / 255 as (n, 784). `meta`: per row band, the mean and the variance of its pixels (n, 8).
 * `digit`: the label (n,) int32 for sparse cross-entropy. `parity`: 1 for odd digits (n, 1) float32.
 */
export function prepareTwoHeads([rawImages, rawLabels]: Split): TwoHeadsData {
  const [n, rows, cols] = rawImages.shape;
  return tidy(() => {
    const image = div(cast(reshape(tensor(rawImages.values, rawImages.shape, 'uint8'), [n, rows * cols]), 'float32'), 255);
    const bands = reshape(image, [n, BANDS, (rows / BANDS) * cols]);
    const bandMean = mean(bands, -1, true);
    const bandVariance = mean(square(sub(bands, bandMean)), -1);
    const meta = concat([reshape(bandMean, [n, BANDS]), bandVariance], 1);
    const digit = tensor(rawLabels.values, rawLabels.shape, 'int32');
    const parity = reshape(cast(mod(digit, 2), 'float32'), [n, 1]);
    return { x: { image, meta }, y: { digit, parity } };
  });
}

/** The example: two Dense branches, concatenated, feeding a softmax digit head and a sigmoid parity head. */
export function twoHeadsModel(): Model<SymbolicTensor[]> {
  const image = input({ shape: [784], name: 'image' });
  const meta = input({ shape: [2 * BANDS], name: 'meta' });
  const a = layers.dense({ units: 256, activation: 'relu' }).apply(image);
  const b = layers.dense({ units: 32, activation: 'relu' }).apply(meta);
  const merged = layers.concatenate().apply([a, b]);
  const digit = layers.dense({ units: 10, activation: 'softmax', name: 'digit' }).apply(merged);
  const parity = layers.dense({ units: 1, activation: 'sigmoid', name: 'parity' }).apply(merged);
  const model = new Model({ inputs: [image, meta], outputs: [digit, parity], name: 'two_heads' });
  model.compile({
    optimizer: 'adam',
    loss: { digit: 'sparse_categorical_crossentropy', parity: 'binary_crossentropy' },
    lossWeights: { digit: 1, parity: 0.2 },
    metrics: { digit: ['accuracy'], parity: ['accuracy'] },
  });
  return model;
}

export function disposeData(data: TwoHeadsData): void {
  for (const t of [data.x.image, data.x.meta, data.y.digit, data.y.parity]) t.dispose();
}
