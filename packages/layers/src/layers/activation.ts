import type { Tensor } from '@strata/core';
import { activate, getActivation, type ActivationId } from '../activations.ts';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig } from './layer.ts';

export interface ActivationArgs extends LayerArgs {
  activation: ActivationId;
}

/** Applies an activation function; shape unchanged. */
export class Activation extends Layer {
  override readonly className = 'Activation';
  override supportsMasking = true;
  readonly activation: ActivationId;

  constructor(args: ActivationArgs) {
    super(args, 'Activation', ['activation']);
    this.activation = getActivation(args.activation);
  }

  override get outputActivation(): ActivationId {
    return this.activation;
  }

  override callPreActivation(inputs: Tensor): Tensor {
    return inputs;
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    return activate(this.activation, inputs);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), activation: this.activation };
  }
}
