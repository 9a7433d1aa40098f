import { add, col2im, matmul, reshape, type PatchSpec, type Tensor, type Variable } from '@strata/core';
import { activate, getActivation, type ActivationId } from '../activations.ts';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../initializers.ts';
import { formatLayerShape, Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.ts';
import { checkRank, convWindow, initializerConfig, positiveInteger, type ConvWindowArgs, type PaddingMode } from './window-args.ts';

export interface Conv2DTransposeArgs extends LayerArgs, ConvWindowArgs {
  filters: number;
  /** Extra rows/columns on the output's bottom/right, each less than its stride; null (default): Keras's inferred size. */
  outputPadding?: number | readonly number[] | null;
  activation?: ActivationId | null;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
}

const OPTIONS = ['filters', 'kernelSize', 'strides', 'padding', 'outputPadding', 'dataFormat', 'dilationRate', 'activation', 'useBias', 'kernelInitializer', 'biasInitializer'];

/**
 * One spatial axis of a transposed convolution: Keras's output length and the leading pad of the forward
 * convolution it is the transpose of (output y receives input i through tap k where y = i·s + k·d − pad).
 * Both follow Keras's JAX backend (its padding for lax.conv_transpose, converted to that forward pad).
 */
function transposeAxis(size: number, kernel: number, stride: number, dilation: number, padding: PaddingMode, outputPadding: number | null): [length: number, pad: number] {
  const span = (kernel - 1) * dilation + 1;
  if (padding === 'valid') {
    return [outputPadding === null ? size * stride + Math.max(span - stride, 0) : (size - 1) * stride + span + outputPadding, 0];
  }
  const length = outputPadding === null ? size * stride : (size - 1) * stride + (span % 2) + outputPadding;
  const total = outputPadding === null ? stride + span - 2 : span + (span % 2) - 2 + outputPadding;
  return [length, span - 1 - Math.min(Math.ceil(total / 2), span - 1)];
}

/**
 * Keras's Conv2DTranspose (the gradient of Conv2D with respect to its input): kernel (kh, kw, filters,
 * channels) as Keras saves it. Each input pixel times the kernel is a patch of the output, and core's
 * col2im sums the patches onto the output image.
 */
export class Conv2DTranspose extends Layer {
  override readonly className = 'Conv2DTranspose';
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;
  readonly outputPadding: number[] | null;
  readonly dilationRate: number[];
  readonly activation: ActivationId;
  readonly useBias: boolean;
  private readonly kernelInitializer: Initializer;
  private readonly biasInitializer: Initializer;
  kernel?: Variable;
  bias?: Variable;

  constructor(args: Conv2DTransposeArgs) {
    super(args, 'Conv2DTranspose', OPTIONS);
    const cls = 'Conv2DTranspose';
    this.filters = positiveInteger(cls, 'filters', args.filters);
    const window = convWindow(cls, args, 2);
    this.kernelSize = window.kernelSize;
    this.strides = window.strides;
    this.dilationRate = window.dilationRate;
    this.padding = window.padding;
    this.outputPadding = this.checkOutputPadding(args.outputPadding ?? null);
    this.activation = getActivation(args.activation);
    this.useBias = args.useBias ?? true;
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorot_uniform');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
  }

  private checkOutputPadding(value: number | readonly number[] | null): number[] | null {
    if (value === null) return null;
    const values = typeof value === 'number' ? [value, value] : [...value];
    if (values.length !== 2 || values.some((v, i) => !Number.isInteger(v) || v < 0 || v >= this.strides[i])) {
      throw new Error(`Conv2DTranspose: outputPadding must be a non-negative integer or 2 of them, each less than its stride (strides ${JSON.stringify(this.strides)}), got ${JSON.stringify(value)}`);
    }
    return values;
  }

  private get where(): string {
    return `${this.className} "${this.name}"`;
  }

  /** [length, pad] of both spatial axes for an input of these spatial sizes; errors when the output is empty. */
  private geometry(inputShape: LayerShape, sizes: readonly (number | null)[]): ([number, number] | null)[] {
    return sizes.map((size, i) => {
      if (size === null) return null;
      const axis = transposeAxis(size, this.kernelSize[i], this.strides[i], this.dilationRate[i], this.padding, this.outputPadding?.[i] ?? null);
      if (axis[0] < 1) throw new Error(`${this.where}: input ${formatLayerShape(inputShape)} gives an empty output (axis ${i + 1} of length ${axis[0]})`);
      return axis;
    });
  }

  override build(inputShape: LayerShape): void {
    this.computeOutputShape(inputShape);
    const channels = inputShape[3];
    if (channels === null) throw new Error(`${this.where}: the channels axis (last) of the input must be known`);
    this.kernel = this.addWeight('kernel', [...this.kernelSize, this.filters, channels], this.kernelInitializer);
    if (this.useBias) this.bias = this.addWeight('bias', [this.filters], this.biasInitializer);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkRank(this.where, inputShape, 2, '(batch, height, width, channels)');
    const [h, w] = this.geometry(inputShape, inputShape.slice(1, 3));
    return [inputShape[0], h?.[0] ?? null, w?.[0] ?? null, this.filters];
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    const kernel = this.kernel;
    if (!kernel) throw new Error(`${this.where} is not built`);
    checkRank(this.where, inputs.shape, 2, 'to match its build');
    const [batch, height, width, channels] = inputs.shape;
    const [kh, kw, filters] = kernel.shape;
    const [[outHeight, padTop], [outWidth, padLeft]] = this.geometry(inputs.shape, [height, width]) as [number, number][];
    // The forward convolution's patch geometry, read backwards: its "output" is this layer's input.
    const spec: PatchSpec = {
      batch, height: outHeight, width: outWidth, channels: filters, kernelHeight: kh, kernelWidth: kw,
      strideHeight: this.strides[0], strideWidth: this.strides[1], dilationHeight: this.dilationRate[0], dilationWidth: this.dilationRate[1],
      padTop, padLeft, outHeight: height, outWidth: width,
    };
    const patches = matmul(reshape(inputs, [batch * height * width, channels]), reshape(kernel, [kh * kw * filters, channels]), false, true);
    const image = col2im(reshape(patches, [batch, height, width, kh * kw, filters]), spec);
    return activate(this.activation, this.bias ? add(image, this.bias) : image);
  }

  override getConfig(): LayerConfig {
    return {
      ...super.getConfig(),
      filters: this.filters,
      kernelSize: this.kernelSize,
      strides: this.strides,
      padding: this.padding,
      outputPadding: this.outputPadding,
      dataFormat: 'channels_last',
      dilationRate: this.dilationRate,
      activation: this.activation,
      useBias: this.useBias,
      kernelInitializer: initializerConfig(this.kernelInitializer),
      biasInitializer: initializerConfig(this.biasInitializer),
    };
  }
}
