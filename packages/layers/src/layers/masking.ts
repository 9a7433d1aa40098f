import { cast, expandDims, greater, max, mul, notEqual, type Tensor } from '@strata/core';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig } from './layer.ts';

export interface MaskingArgs extends LayerArgs {
  /** Timesteps whose features all equal this value are masked (skipped by the recurrent layers that follow). */
  maskValue?: number;
}

/** Keras's `Masking`: mask (batch, timesteps) = any feature differs from `maskValue`; masked steps output zeros. */
export class Masking extends Layer {
  override readonly className = 'Masking';
  override supportsMasking = true;
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    super(args, 'Masking', ['maskValue']);
    this.maskValue = args.maskValue ?? 0;
  }

  override computeMask(inputs: Tensor): Tensor {
    return greater(max(cast(notEqual(inputs, this.maskValue), 'float32'), -1), 0);
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    return mul(inputs, cast(expandDims(this.computeMask(inputs), -1), 'float32'));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), maskValue: this.maskValue };
  }
}
