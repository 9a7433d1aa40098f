import { conv2d, reshape, type Tensor, type Variable } from '@strata/core';
import { activate, getActivation, type ActivationId } from '../activations.ts';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../initializers.ts';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.ts';
import { checkRank, convWindow, outputLength, positiveInteger, type ConvWindowArgs, type PaddingMode } from './window-args.ts';

export interface ConvArgs extends LayerArgs, ConvWindowArgs {
  filters: number;
  groups?: number;
  activation?: ActivationId | null;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
}

const OPTIONS = ['filters', 'kernelSize', 'strides', 'padding', 'dataFormat', 'dilationRate', 'groups', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer'];

/**
 * Keras's convolution over `rank` spatial axes, channels last; the kernel is (…kernelSize, channels / groups,
 * filters) as Keras saves it. Runs core's conv2d (image patches + the fused matmul, relu fused); Conv1D is
 * Conv2D with height 1.
 */
abstract class Conv extends Layer {
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;
  readonly dilationRate: number[];
  readonly groups: number;
  readonly activation: ActivationId;
  readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  kernel?: Variable;
  bias?: Variable;

  constructor(private readonly rank: 1 | 2, args: ConvArgs, className: string) {
    super(args, className, OPTIONS);
    positiveInteger(className, 'filters', args.filters);
    const groups = args.groups ?? 1;
    if (!Number.isInteger(groups) || groups < 1 || args.filters % groups !== 0) {
      throw new Error(`${className}: groups must be a positive integer dividing filters (${args.filters}), got ${groups}`);
    }
    const window = convWindow(className, args, rank);
    this.filters = args.filters;
    this.kernelSize = window.kernelSize;
    this.strides = window.strides;
    this.dilationRate = window.dilationRate;
    this.padding = window.padding;
    this.groups = groups;
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
  }

  private get where(): string {
    return `${this.className} "${this.name}"`;
  }

  override build(inputShape: LayerShape): void {
    this.computeOutputShape(inputShape);
    const channels = inputShape[inputShape.length - 1];
    if (channels === null) throw new Error(`${this.where}: the channels axis (last) of the input must be known`);
    if (channels % this.groups !== 0) throw new Error(`${this.where}: input channels (${channels}) must be divisible by groups (${this.groups})`);
    this.kernel = this.addWeight('kernel', [...this.kernelSize, channels / this.groups, this.filters], this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInitializer);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkRank(this.where, inputShape, this.rank, this.rank === 2 ? '(batch, height, width, channels)' : '(batch, steps, channels)');
    const spatial = inputShape.slice(1, -1).map((size, i) => outputLength(this.where, inputShape, size, this.kernelSize[i], this.strides[i], this.dilationRate[i], this.padding));
    return [inputShape[0], ...spatial, this.filters];
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    const kernel = this.kernel;
    if (!kernel) throw new Error(`${this.where} is not built`);
    checkRank(this.where, inputs.shape, this.rank, 'to match its build');
    const as2d = (t: Tensor, shape: number[]): Tensor => (this.rank === 2 ? t : reshape(t, shape));
    const pair = (v: number[]): [number, number] => (this.rank === 2 ? [v[0], v[1]] : [1, v[0]]);
    const x = as2d(inputs, [inputs.shape[0], 1, ...inputs.shape.slice(1)]);
    const k = as2d(kernel, [1, ...kernel.shape]);
    const fused = this.activation === 'relu';
    const z = conv2d(x, k, {
      strides: pair(this.strides), dilations: pair(this.dilationRate), padding: this.padding, groups: this.groups,
      bias: this.bias, activation: fused ? 'relu' : undefined,
    });
    const out = this.rank === 2 ? z : reshape(z, [z.shape[0], z.shape[2], z.shape[3]]);
    return fused ? out : activate(this.activation, out);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      dataFormat: 'channels_last',
      dilationRate: this.dilationRate,
      groups: this.groups,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: { className: this.kernelInitializer.className, config: this.kernelInitializer.getConfig() },
      biasInitializer: { className: this.biasInitializer.className, config: this.biasInitializer.getConfig() },
    };
  }
}

/** Keras's Conv2D: input (batch, height, width, channels). */
export class Conv2D extends Conv {
  override readonly className = 'Conv2D';
  constructor(args: ConvArgs) {
    super(2, args, 'Conv2D');
  }
}

/** Keras's Conv1D: input (batch, steps, channels). */
export class Conv1D extends Conv {
  override readonly className = 'Conv1D';
  constructor(args: ConvArgs) {
    super(1, args, 'Conv1D');
  }
}
