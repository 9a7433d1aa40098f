import { reshape, type Tensor } from '@strata/core';
import { Layer, formatLayerShape, type CallOptions, type LayerArgs, type LayerShape } from './layer.ts';

/** Flattens every axis but the batch axis: (batch, 28, 28) → (batch, 784). */
export class Flatten extends Layer {
  override readonly className = 'Flatten';
  override readonly refusesMask = true;

  constructor(args: LayerArgs = {}) {
    super(args, 'Flatten', []);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const rest = inputShape.slice(1);
    if (rest.some((d) => d === null)) throw new Error(`Flatten "${this.name}": every non-batch axis must be known, got ${formatLayerShape(inputShape)}`);
    return [inputShape[0], (rest as number[]).reduce((a, b) => a * b, 1)];
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    return reshape(inputs, [inputs.shape[0], -1]);
  }
}
