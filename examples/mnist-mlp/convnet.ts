// The book's MNIST convnet (Deep Learning with Python, chapter 8): Conv2D(32) → MaxPooling2D → Conv2D(64)
// → MaxPooling2D → Conv2D(128) → Flatten → Dense(10, softmax), rmsprop, sparse categorical cross-entropy.
// Shared by `pnpm mnist --model convnet` and its CI test, so both run exactly the same code.
import type { Split } from '@strata/datasets';
import { Sequential, cast, div, layers, reshape, tensor, type Tensor } from '@strata/layers';

/** `images.reshape((n, 28, 28, 1)).astype('float32') / 255`, labels as int32 class indices. */
export function prepareImages([rawImages, rawLabels]: Split): { x: Tensor; y: Tensor } {
  const [n, rows, cols] = rawImages.shape;
  const images = tensor(rawImages.values, rawImages.shape, 'uint8');
  const shaped = reshape(images, [n, rows, cols, 1]);
  const asFloat = cast(shaped, 'float32');
  const x = div(asFloat, 255);
  const y = tensor(rawLabels.values, rawLabels.shape, 'int32');
  for (const t of [images, shaped, asFloat]) t.dispose();
  return { x, y };
}

export function bookConvnet(): Sequential {
  const network = new Sequential([
    layers.input({ shape: [28, 28, 1] }),
    layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
    layers.maxPooling2d({ poolSize: 2 }),
    layers.conv2d({ filters: 128, kernelSize: 3, activation: 'relu' }),
    layers.flatten(),
    layers.dense({ units: 10, activation: 'softmax' }),
  ]);
  network.compile({ optimizer: 'rmsprop', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return network;
}
