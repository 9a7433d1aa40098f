import { reshape, type Tensor } from '@strata/core';
import { Layer, formatLayerShape, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.ts';

export interface ReshapeArgs extends LayerArgs {
  /** Per-sample target shape; one entry may be -1 (inferred). */
  targetShape: readonly number[];
}

/** Reshapes each sample to `targetShape` (the batch axis is kept). */
export class Reshape extends Layer {
  override readonly className = 'Reshape';
  override readonly refusesMask = true;
  readonly targetShape: readonly number[];

  constructor(args: ReshapeArgs) {
    super(args, 'Reshape', ['targetShape']);
    if (args.targetShape.filter((d) => d === -1).length > 1) throw new Error(`Reshape: at most one dimension of targetShape may be -1, got [${args.targetShape.join(', ')}]`);
    this.targetShape = [...args.targetShape];
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const rest = inputShape.slice(1);
    if (rest.some((d) => d === null)) return [inputShape[0], ...this.targetShape.map((d) => (d === -1 ? null : d))];
    const size = (rest as number[]).reduce((a, b) => a * b, 1);
    const known = this.targetShape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const hasUnknown = this.targetShape.includes(-1);
    const inferred = size / known;
    if (hasUnknown ? !Number.isInteger(inferred) : known !== size) {
      throw new Error(`Reshape "${this.name}": cannot reshape input ${formatLayerShape(inputShape)} (${size} values per sample) to target shape [${this.targetShape.join(', ')}]`);
    }
    return [inputShape[0], ...this.targetShape.map((d) => (d === -1 ? inferred : d))];
  }

  override build(inputShape: LayerShape): void {
    this.computeOutputShape(inputShape);
    super.build(inputShape);
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    return reshape(inputs, [inputs.shape[0], ...this.targetShape]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), targetShape: [...this.targetShape] };
  }
}
