import { reshape, type Tensor } from '@strata/core';
import { Layer, formatLayerShape, isShapeList, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.ts';

export interface TimeDistributedArgs extends LayerArgs {
  /** The layer applied to every timestep (one set of weights for all of them). */
  layer: Layer;
}

/** Keras's `TimeDistributed`: `layer` applied to each slice along axis 1, as one call on (batch·timesteps, …). */
export class TimeDistributed extends Layer {
  override readonly className = 'TimeDistributed';
  override supportsMasking = true;
  readonly layer: Layer;

  constructor(args: TimeDistributedArgs) {
    super(args, 'TimeDistributed', ['layer']);
    this.layer = args.layer;
  }

  override get attributeLayers(): ReadonlyArray<readonly [string, Layer]> {
    return [['layer', this.layer]];
  }

  private inner(inputShape: LayerShape): LayerShape {
    if (inputShape.length < 3) throw new Error(`TimeDistributed "${this.name}" expects an input of rank 3 or more (batch, timesteps, …), got ${formatLayerShape(inputShape)}`);
    return [null, ...inputShape.slice(2)];
  }

  override build(inputShape: LayerShape): void {
    if (!this.layer.built) this.layer.build(this.inner(inputShape));
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const out = this.layer.computeOutputShape(this.inner(inputShape));
    if (isShapeList(out)) throw new Error(`TimeDistributed "${this.name}": the wrapped layer "${this.layer.name}" must have one output`);
    return [inputShape[0], inputShape[1], ...out.slice(1)];
  }

  call(inputs: Tensor, options: CallOptions): Tensor {
    const [batch, steps, ...rest] = inputs.shape;
    if (inputs.rank < 3) this.inner(inputs.shape);
    const out = this.layer.apply(reshape(inputs, [batch * steps, ...rest]), { training: options.training });
    return reshape(out, [batch, steps, ...out.shape.slice(1)]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), layer: this.layer };
  }
}
