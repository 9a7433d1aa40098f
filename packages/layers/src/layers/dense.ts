import { dense, reshape, type Tensor, type Variable } from '@strata/core';
import { activate, getActivation, type ActivationId } from '../activations.ts';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../initializers.ts';
import { Layer, formatLayerShape, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.ts';

export interface DenseArgs extends LayerArgs {
  units: number;
  activation?: ActivationId | null;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
}

/**
 * `activation(dot(x, kernel) + bias)` over the last axis. Runs core's fused `dense` kernel (matmul +
 * bias + relu in one pass); inputs of rank > 2 are viewed as 2-D first, other activations follow it.
 */
export class Dense extends Layer {
  override readonly className = 'Dense';
  override supportsMasking = true;
  readonly units: number;
  readonly activation: ActivationId;
  readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  kernel?: Variable;
  bias?: Variable;

  constructor(args: DenseArgs) {
    super(args, 'Dense', ['units', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer']);
    if (!Number.isInteger(args.units) || args.units < 1) throw new Error(`Dense: units must be a positive integer, got ${args.units}`);
    this.units = args.units;
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
  }

  override build(inputShape: LayerShape): void {
    const inputDim = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || inputDim === null) throw new Error(`Dense "${this.name}": the last axis of the input shape must be known, got ${formatLayerShape(inputShape)}`);
    this.kernel = this.addWeight('kernel', [inputDim, this.units], this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInitializer);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  override get outputActivation(): ActivationId {
    return this.activation;
  }

  override callPreActivation(inputs: Tensor): Tensor {
    return this.affine(inputs, false);
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    if (this.activation === 'relu') return this.affine(inputs, true);
    return activate(this.activation, this.affine(inputs, false));
  }

  private affine(inputs: Tensor, fusedRelu: boolean): Tensor {
    const kernel = this.kernel;
    if (!kernel) throw new Error(`Dense "${this.name}" is not built`);
    if (inputs.rank === 2) return dense(inputs, kernel, this.bias, fusedRelu ? 'relu' : undefined);
    const flat = reshape(inputs, [-1, inputs.shape[inputs.rank - 1]]);
    const out = dense(flat, kernel, this.bias, fusedRelu ? 'relu' : undefined);
    return reshape(out, [...inputs.shape.slice(0, -1), this.units]);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: { className: this.kernelInitializer.className, config: this.kernelInitializer.getConfig() },
      biasInitializer: { className: this.biasInitializer.className, config: this.biasInitializer.getConfig() },
    };
  }
}
