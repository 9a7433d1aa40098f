import { add, cast, concat, mul, ones, reshape, zeros, type Tensor } from '@strata/core';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.ts';
import { checkDataFormat, checkRank, windowTuple } from './window-args.ts';

/** Image layers without weights that change sizes or values: ZeroPadding2D, UpSampling2D, Rescaling. */

const IMAGE = '(batch, height, width, channels)';

export interface ZeroPadding2DArgs extends LayerArgs {
  /** p (all sides), [rows, columns] (symmetric), or [[top, bottom], [left, right]]. Default 1. */
  padding?: number | readonly [number, number] | readonly [readonly [number, number], readonly [number, number]];
  dataFormat?: 'channels_last';
}

function paddingPairs(layer: string, padding: ZeroPadding2DArgs['padding']): [[number, number], [number, number]] {
  const p = padding ?? 1;
  const pairs: number[][] = typeof p === 'number' ? [[p, p], [p, p]] : p.map((v) => (typeof v === 'number' ? [v, v] : [...v]));
  if (pairs.length !== 2 || pairs.some((q) => q.length !== 2 || q.some((v) => !Number.isInteger(v) || v < 0))) {
    throw new Error(`${layer}: padding must be a non-negative integer, 2 of them, or 2 pairs of them, got ${JSON.stringify(padding)}`);
  }
  return [[pairs[0][0], pairs[0][1]], [pairs[1][0], pairs[1][1]]];
}

/** Zero rows above and below, zero columns left and right of each image. */
export class ZeroPadding2D extends Layer {
  override readonly className = 'ZeroPadding2D';
  readonly padding: [[number, number], [number, number]];

  constructor(args: ZeroPadding2DArgs = {}) {
    super(args, 'ZeroPadding2D', ['padding', 'dataFormat']);
    checkDataFormat('ZeroPadding2D', args.dataFormat);
    this.padding = paddingPairs('ZeroPadding2D', args.padding);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkRank(`ZeroPadding2D "${this.name}"`, inputShape, 2, IMAGE);
    const grow = (d: number | null, [a, b]: [number, number]) => (d === null ? null : d + a + b);
    return [inputShape[0], grow(inputShape[1], this.padding[0]), grow(inputShape[2], this.padding[1]), inputShape[3]];
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    this.computeOutputShape(inputs.shape);
    let x = inputs;
    this.padding.forEach(([before, after], i) => {
      const axis = i + 1;
      const band = (n: number): Tensor => zeros(x.shape.map((d, j) => (j === axis ? n : d)));
      const parts = [...(before > 0 ? [band(before)] : []), x, ...(after > 0 ? [band(after)] : [])];
      if (parts.length > 1) x = concat(parts, axis);
    });
    return x;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), padding: this.padding, dataFormat: 'channels_last' };
  }
}

export interface UpSampling2DArgs extends LayerArgs {
  /** Repeats of each row and column; default 2. */
  size?: number | readonly number[];
  dataFormat?: 'channels_last';
  /** Only 'nearest'. */
  interpolation?: 'nearest';
}

/** Each pixel repeated size[0] × size[1] times (nearest neighbour). */
export class UpSampling2D extends Layer {
  override readonly className = 'UpSampling2D';
  readonly size: number[];

  constructor(args: UpSampling2DArgs = {}) {
    super(args, 'UpSampling2D', ['size', 'dataFormat', 'interpolation']);
    checkDataFormat('UpSampling2D', args.dataFormat);
    if (args.interpolation !== undefined && args.interpolation !== 'nearest') {
      throw new Error(`UpSampling2D: interpolation "${String(args.interpolation)}" is not supported; only "nearest" is`);
    }
    this.size = windowTuple('UpSampling2D', 'size', args.size ?? 2, 2);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkRank(`UpSampling2D "${this.name}"`, inputShape, 2, IMAGE);
    const [n, h, w, c] = inputShape;
    return [n, h === null ? null : h * this.size[0], w === null ? null : w * this.size[1], c];
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    this.computeOutputShape(inputs.shape);
    const [n, h, w, c] = inputs.shape;
    const [sh, sw] = this.size;
    // Batch and rows share an axis: core tensors have at most 5.
    const spread = mul(reshape(inputs, [n * h, 1, w, 1, c]), ones([1, sh, 1, sw, 1]));
    return reshape(spread, [n, h * sh, w * sw, c]);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), size: this.size, dataFormat: 'channels_last', interpolation: 'nearest' };
  }
}

export interface RescalingArgs extends LayerArgs {
  scale: number;
  offset?: number;
}

/** x · scale + offset (e.g. scale 1/255 for pixel values). */
export class Rescaling extends Layer {
  override readonly className = 'Rescaling';
  readonly scale: number;
  readonly offset: number;

  constructor(args: RescalingArgs) {
    super(args, 'Rescaling', ['scale', 'offset']);
    for (const [name, v] of [['scale', args.scale], ['offset', args.offset ?? 0]] as const) {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`Rescaling: ${name} must be a finite number, got ${JSON.stringify(v)}`);
    }
    this.scale = args.scale;
    this.offset = args.offset ?? 0;
  }

  call(inputs: Tensor, _options: CallOptions): Tensor {
    // Integer pixels (uint8 images) are cast to float32 first, as Keras casts to the compute dtype.
    const scaled = mul(inputs.dtype === 'float32' ? inputs : cast(inputs, 'float32'), this.scale);
    return this.offset === 0 ? scaled : add(scaled, this.offset);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}
