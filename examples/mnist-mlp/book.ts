// The pieces of the book's MNIST example (Deep Learning with Python, chapter 2), shared by the command-line
// main job and its CI test so both run exactly the same code.
import type { Split } from '@strata/datasets';
import { Sequential, cast, div, layers, reshape, tensor, toCategorical, type Tensor } from '@strata/layers';

/** The first `n` samples of a split: images uint8 (n, 28, 28), labels uint8 (n,), as views (no copies). */
export function firstSamples([images, labels]: Split, n: number): Split {
  const pixels = images.shape[1] * images.shape[2];
  return [
    { values: images.values.subarray(0, n * pixels), shape: [n, ...images.shape.slice(1)] },
    { values: labels.values.subarray(0, n), shape: [n] },
  ];
}

/** `images.reshape((n, 28 * 28)).astype('float32') / 255` and `to_categorical(labels)`. */
export function prepare([rawImages, rawLabels]: Split): { x: Tensor; y: Tensor } {
  const [n, rows, cols] = rawImages.shape;
  const images = tensor(rawImages.values, rawImages.shape, 'uint8');
  const flat = reshape(images, [n, rows * cols]);
  const asFloat = cast(flat, 'float32');
  const x = div(asFloat, 255);
  const labels = tensor(rawLabels.values, rawLabels.shape, 'int32');
  const y = toCategorical(labels, 10);
  for (const t of [images, flat, asFloat, labels]) t.dispose();
  return { x, y };
}

/** Dense(512, relu) → Dense(10, softmax), compiled with rmsprop and categorical cross-entropy. */
export function bookNetwork(): Sequential {
  const network = new Sequential([
    layers.dense({ units: 512, activation: 'relu', inputShape: [28 * 28] }),
    layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  network.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return network;
}
