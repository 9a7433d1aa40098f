// Sequential MNIST: each image read as a sequence of 28 rows (timesteps) of 28 pixels (features) by an
// LSTM(128), then Dense(10, softmax). Shared by the command-line example and its CI test.
import type { Split } from '@strata/datasets';
import { Sequential, cast, div, input, layers, tensor, tidy, type Tensor } from '@strata/layers';

export interface SequenceData {
  /** (n, 28, 28) float32 in [0, 1]. */
  x: Tensor;
  /** (n,) int32 class indices. */
  y: Tensor;
}

export function prepareSequences([images, labels]: Split): SequenceData {
  return tidy(() => ({
    x: div(cast(tensor(images.values, images.shape, 'uint8'), 'float32'), 255),
    y: tensor(labels.values, labels.shape, 'int32'),
  }));
}

export function lstmModel(units = 128): Sequential {
  const model = new Sequential([input({ shape: [28, 28] }), layers.lstm({ units }), layers.dense({ units: 10, activation: 'softmax' })]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}
