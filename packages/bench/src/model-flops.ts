// The matmul FLOPs of one 60,000-sample training epoch of the convnet and of the LSTM, from their shapes:
// the floor the report puts under their epochs (element-wise work, pooling and the optimizer not counted).

/** One product per sample: `macs` multiply-adds forward; `inputGradient` when its input needs a gradient. */
interface Product {
  readonly macs: number;
  readonly inputGradient: boolean;
}

/** Forward, weight gradient, and input gradient where needed: 2 FLOPs per multiply-add each. */
const trainingFlops = (products: readonly Product[], samples: number): number =>
  samples * products.reduce((sum, p) => sum + 2 * p.macs * (p.inputGradient ? 3 : 2), 0);

/** A valid 3×3 convolution of a size×size×channels image into `filters` channels. */
function conv3x3(size: number, channels: number, filters: number, inputGradient: boolean): Product {
  const out = size - 2;
  return { macs: out * out * 9 * channels * filters, inputGradient };
}

/** 28×28×1 → conv 32 → pool → conv 64 → pool → conv 128 → flatten 1152 → dense 10. */
export function convnetEpochFlops(samples = 60000): number {
  return trainingFlops([conv3x3(28, 1, 32, false), conv3x3(13, 32, 64, true), conv3x3(5, 64, 128, true), { macs: 1152 * 10, inputGradient: true }], samples);
}

/**
 * LSTM(128) over 28 steps of 28 features, then dense 10: per step the four gates' product of [x_t, h] with
 * the joined kernel; the gradient flows back to h (128 of the 156 rows), never to the pixels.
 */
export function lstmEpochFlops(samples = 60000): number {
  const [steps, features, units, gates] = [28, 28, 128, 4];
  const perStep = 2 * (2 * (features + units) * gates * units) + 2 * units * gates * units;
  return samples * steps * perStep + trainingFlops([{ macs: units * 10, inputGradient: true }], samples);
}
