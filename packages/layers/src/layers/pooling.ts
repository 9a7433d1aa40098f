import { avgPool2d, max, maxPool2d, mean, reshape, type Tensor } from '@strata/core';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.ts';
import { checkDataFormat, checkPadding, checkRank, outputLength, windowTuple, type PaddingMode } from './window-args.ts';

export interface PoolingArgs extends LayerArgs {
  /** Window size per spatial axis; MaxPooling's default is 2 (AveragePooling needs it, as in Keras). */
  poolSize?: number | readonly number[];
  /** Defaults to poolSize. */
  strides?: number | readonly number[] | null;
  padding?: PaddingMode;
  dataFormat?: 'channels_last';
}

const OPTIONS = ['poolSize', 'strides', 'padding', 'dataFormat'];

/** Max or average over windows of `rank` spatial axes, channels last; the 1-D forms are 2-D with height 1. */
abstract class Pooling extends Layer {
  readonly poolSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;

  constructor(private readonly rank: 1 | 2, private readonly kind: 'max' | 'avg', args: PoolingArgs, className: string) {
    super(args, className, OPTIONS);
    if (kind === 'avg' && args.poolSize === undefined) throw new Error(`${className}: poolSize is required`);
    checkDataFormat(className, args.dataFormat);
    this.poolSize = windowTuple(className, 'poolSize', args.poolSize ?? 2, rank);
    this.strides = windowTuple(className, 'strides', args.strides ?? this.poolSize, rank);
    this.padding = checkPadding(className, args.padding);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    const where = `${this.className} "${this.name}"`;
    checkRank(where, inputShape, this.rank, this.rank === 2 ? '(batch, height, width, channels)' : '(batch, steps, channels)');
    const spatial = inputShape.slice(1, -1).map((size, i) => outputLength(where, inputShape, size, this.poolSize[i], this.strides[i], 1, this.padding));
    return [inputShape[0], ...spatial, inputShape[inputShape.length - 1]];
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    this.computeOutputShape(inputs.shape);
    const pair = (v: number[]): [number, number] => (this.rank === 2 ? [v[0], v[1]] : [1, v[0]]);
    const x = this.rank === 2 ? inputs : reshape(inputs, [inputs.shape[0], 1, ...inputs.shape.slice(1)]);
    const options = { poolSize: pair(this.poolSize), strides: pair(this.strides), padding: this.padding };
    const y = this.kind === 'max' ? maxPool2d(x, options) : avgPool2d(x, options);
    return this.rank === 2 ? y : reshape(y, [y.shape[0], y.shape[2], y.shape[3]]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), poolSize: this.poolSize, padding: this.padding, strides: this.strides, dataFormat: 'channels_last' };
  }
}

export class MaxPooling2D extends Pooling {
  override readonly className = 'MaxPooling2D';
  constructor(args: PoolingArgs = {}) {
    super(2, 'max', args, 'MaxPooling2D');
  }
}

export class MaxPooling1D extends Pooling {
  override readonly className = 'MaxPooling1D';
  constructor(args: PoolingArgs = {}) {
    super(1, 'max', args, 'MaxPooling1D');
  }
}

export class AveragePooling2D extends Pooling {
  override readonly className = 'AveragePooling2D';
  constructor(args: PoolingArgs) {
    super(2, 'avg', args, 'AveragePooling2D');
  }
}

export class AveragePooling1D extends Pooling {
  override readonly className = 'AveragePooling1D';
  constructor(args: PoolingArgs) {
    super(1, 'avg', args, 'AveragePooling1D');
  }
}

export interface GlobalPoolingArgs extends LayerArgs {
  dataFormat?: 'channels_last';
  /** Keep the pooled axes with size 1 (Keras's `keepdims`). */
  keepdims?: boolean;
}

/** Max or mean over every spatial axis: (batch, …spatial, channels) → (batch, channels). */
abstract class GlobalPooling extends Layer {
  readonly keepdims: boolean;

  constructor(private readonly rank: 1 | 2, private readonly kind: 'max' | 'avg', args: GlobalPoolingArgs, className: string) {
    super(args, className, ['dataFormat', 'keepdims']);
    checkDataFormat(className, args.dataFormat);
    this.keepdims = args.keepdims ?? false;
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkRank(`${this.className} "${this.name}"`, inputShape, this.rank, this.rank === 2 ? '(batch, height, width, channels)' : '(batch, steps, channels)');
    const channels = inputShape[inputShape.length - 1];
    return this.keepdims ? [inputShape[0], ...new Array<number>(this.rank).fill(1), channels] : [inputShape[0], channels];
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    this.computeOutputShape(inputs.shape);
    const axes = this.rank === 2 ? [1, 2] : [1];
    return this.kind === 'max' ? max(inputs, axes, this.keepdims) : mean(inputs, axes, this.keepdims);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), dataFormat: 'channels_last', keepdims: this.keepdims };
  }
}

export class GlobalAveragePooling2D extends GlobalPooling {
  override readonly className = 'GlobalAveragePooling2D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(2, 'avg', args, 'GlobalAveragePooling2D');
  }
}

export class GlobalAveragePooling1D extends GlobalPooling {
  override readonly className = 'GlobalAveragePooling1D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(1, 'avg', args, 'GlobalAveragePooling1D');
  }
}

export class GlobalMaxPooling2D extends GlobalPooling {
  override readonly className = 'GlobalMaxPooling2D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(2, 'max', args, 'GlobalMaxPooling2D');
  }
}

export class GlobalMaxPooling1D extends GlobalPooling {
  override readonly className = 'GlobalMaxPooling1D';
  constructor(args: GlobalPoolingArgs = {}) {
    super(1, 'max', args, 'GlobalMaxPooling1D');
  }
}
