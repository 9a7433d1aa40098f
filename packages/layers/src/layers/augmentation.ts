import { cast, randomSeed, uniform01, type Tensor } from '@strata/core';
import { affineTransform, type Affine, type Sampling } from './affine-sample.ts';
import { callSeed, factorRange, samplingArgs, type Factor, type FillArgs } from './augmentation-args.ts';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape } from './layer.ts';
import { checkDataFormat, checkRank } from './window-args.ts';

/**
 * The image augmentation layers (Keras 3's RandomFlip, RandomTranslation, RandomRotation, RandomZoom):
 * a random transform per image when `training` is true, the identity otherwise. The transform's numbers
 * come from core's counter-based generator on the host (value i of call k depends only on the layer's
 * seed, k and i), so CPU and WebGPU apply the same transforms in the same run.
 */

const IMAGE = '(batch, height, width, channels)';
export const IDENTITY: Affine = [1, 0, 0, 0, 1, 0];

/** Draws one transform per image of a [n, height, width, ·] batch from `uniform(i)` ∈ [0, 1). */
type Draw = (uniform: (i: number) => number, n: number, height: number, width: number) => Affine[];

/** What the four layers share: the seed stream, the training switch and the resampling. */
abstract class RandomImageLayer extends Layer {
  readonly seed: number;
  readonly sampling: Sampling;
  private calls = 0;

  protected constructor(args: LayerArgs & { seed?: number; dataFormat?: string }, className: string, options: readonly string[], sampling: Sampling) {
    super(args, className, [...options, 'seed', 'dataFormat']);
    checkDataFormat(className, args.dataFormat);
    if (args.seed !== undefined && !Number.isInteger(args.seed)) throw new Error(`${className}: seed must be an integer, got ${JSON.stringify(args.seed)}`);
    this.seed = args.seed ?? randomSeed();
    this.sampling = sampling;
  }

  protected abstract draw: Draw;

  override computeOutputShape(inputShape: LayerShape): LayerShape {
    checkRank(`${this.className} "${this.name}"`, inputShape, 2, IMAGE);
    return inputShape;
  }

  call(inputs: Tensor, options: CallOptions): Tensor {
    this.computeOutputShape(inputs.shape);
    const images = inputs.dtype === 'float32' ? inputs : cast(inputs, 'float32');
    if (!options.training) return images;
    const [n, h, w] = inputs.shape;
    const seed = callSeed(this.seed, ++this.calls);
    return this.transform(images, this.draw((i) => uniform01(seed, i), n, h, w));
  }

  /** The images under the given transforms, one per image (the deterministic part, for tests and reuse). */
  transform(images: Tensor, transforms: readonly Affine[]): Tensor {
    return affineTransform(images, transforms, this.sampling);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), seed: this.seed, dataFormat: 'channels_last' };
  }

  protected samplingConfig(): LayerConfig {
    return { fillMode: this.sampling.fillMode, interpolation: this.sampling.interpolation, fillValue: this.sampling.fillValue };
  }
}

const uniformIn = ([lo, hi]: readonly [number, number], u: number): number => lo + (hi - lo) * u;

export const FLIP_MODES = ['horizontal', 'vertical', 'horizontal_and_vertical'] as const;
export type FlipMode = (typeof FLIP_MODES)[number];

export interface RandomFlipArgs extends LayerArgs {
  /** Which axes flip; default 'horizontal_and_vertical' (an image flips both ways or neither, as in Keras). */
  mode?: FlipMode;
  seed?: number;
  dataFormat?: 'channels_last';
}

/** Each image flipped left–right and/or upside down with probability 1/2. */
export class RandomFlip extends RandomImageLayer {
  override readonly className = 'RandomFlip';
  readonly mode: FlipMode;

  constructor(args: RandomFlipArgs = {}) {
    super(args, 'RandomFlip', ['mode'], { fillMode: 'nearest', interpolation: 'nearest', fillValue: 0 });
    const mode = args.mode ?? 'horizontal_and_vertical';
    if (!FLIP_MODES.includes(mode)) throw new Error(`RandomFlip: unknown mode ${JSON.stringify(args.mode)}; expected one of ${FLIP_MODES.join(', ')}`);
    this.mode = mode;
  }

  protected draw: Draw = (uniform, n, h, w) => Array.from({ length: n }, (_, i) => (uniform(i) <= 0.5 ? flip(this.mode, h, w) : IDENTITY));

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), mode: this.mode };
  }
}

/** The flip of `mode` as a transform (its coordinates are whole pixels: nearest sampling is exact). */
export function flip(mode: FlipMode, height: number, width: number): Affine {
  const horizontal = mode !== 'vertical';
  const vertical = mode !== 'horizontal';
  return [horizontal ? -1 : 1, 0, horizontal ? width - 1 : 0, 0, vertical ? -1 : 1, vertical ? height - 1 : 0];
}

export interface RandomTranslationArgs extends LayerArgs, FillArgs {
  /** Shift up/down as a fraction of the height: f (in [-f, f]) or [lower, upper], each in [-1, 1]. */
  heightFactor: Factor;
  /** Shift left/right as a fraction of the width, as heightFactor. */
  widthFactor: Factor;
}

/** Each image shifted by a random fraction of its height and width. */
export class RandomTranslation extends RandomImageLayer {
  override readonly className = 'RandomTranslation';
  readonly heightFactor: Factor;
  readonly widthFactor: Factor;
  private readonly heightRange: [number, number];
  private readonly widthRange: [number, number];

  constructor(args: RandomTranslationArgs) {
    super(args, 'RandomTranslation', ['heightFactor', 'widthFactor', 'fillMode', 'interpolation', 'fillValue'], samplingArgs('RandomTranslation', args));
    this.heightRange = factorRange('RandomTranslation', 'heightFactor', args.heightFactor);
    this.widthRange = factorRange('RandomTranslation', 'widthFactor', args.widthFactor);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor;
  }

  protected draw: Draw = (uniform, n, h, w) =>
    Array.from({ length: n }, (_, i): Affine => [1, 0, -uniformIn(this.widthRange, uniform(n + i)) * w, 0, 1, -uniformIn(this.heightRange, uniform(i)) * h]);

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor, ...this.samplingConfig() };
  }
}

export interface RandomRotationArgs extends LayerArgs, FillArgs {
  /** The angle as a fraction of a full turn: f (in [-f, f]) or [lower, upper], each in [-1, 1]; positive is counter-clockwise. */
  factor: Factor;
}

/** Each image rotated about its centre by a random angle. */
export class RandomRotation extends RandomImageLayer {
  override readonly className = 'RandomRotation';
  readonly factor: [number, number];

  constructor(args: RandomRotationArgs) {
    super(args, 'RandomRotation', ['factor', 'fillMode', 'interpolation', 'fillValue'], samplingArgs('RandomRotation', args));
    this.factor = factorRange('RandomRotation', 'factor', args.factor);
  }

  protected draw: Draw = (uniform, n, h, w) => Array.from({ length: n }, (_, i) => rotation(uniformIn(this.factor, uniform(i)) * 2 * Math.PI, h, w));

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: this.factor, ...this.samplingConfig() };
  }
}

/** Keras's rotation about the image centre ((w - 1) / 2, (h - 1) / 2) by `angle` radians. */
export function rotation(angle: number, height: number, width: number): Affine {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const cx = (width - 1) / 2;
  const cy = (height - 1) / 2;
  return [cos, -sin, cx - cx * cos + cy * sin, sin, cos, cy - cx * sin - cy * cos];
}

export interface RandomZoomArgs extends LayerArgs, FillArgs {
  /** Vertical zoom: f (in [-f, f]) or [lower, upper], each in (-1, 1]; the image is scaled by 1 + factor, positive zooms out. */
  heightFactor: Factor;
  /** Horizontal zoom, as heightFactor; by default the height's zoom (the aspect ratio is kept). */
  widthFactor?: Factor | null;
}

/** Each image zoomed about its centre by a random factor. */
export class RandomZoom extends RandomImageLayer {
  override readonly className = 'RandomZoom';
  readonly heightFactor: Factor;
  readonly widthFactor: Factor | null;
  private readonly heightRange: [number, number];
  private readonly widthRange: [number, number] | null;

  constructor(args: RandomZoomArgs) {
    super(args, 'RandomZoom', ['heightFactor', 'widthFactor', 'fillMode', 'interpolation', 'fillValue'], samplingArgs('RandomZoom', args));
    this.heightRange = factorRange('RandomZoom', 'heightFactor', args.heightFactor, true);
    this.widthRange = args.widthFactor === undefined || args.widthFactor === null ? null : factorRange('RandomZoom', 'widthFactor', args.widthFactor, true);
    this.heightFactor = args.heightFactor;
    this.widthFactor = args.widthFactor ?? null;
  }

  protected draw: Draw = (uniform, n, h, w) =>
    Array.from({ length: n }, (_, i) => {
      const zy = 1 + uniformIn(this.heightRange, uniform(i));
      return zoom(zy, this.widthRange ? 1 + uniformIn(this.widthRange, uniform(n + i)) : zy, h, w);
    });

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), heightFactor: this.heightFactor, widthFactor: this.widthFactor, ...this.samplingConfig() };
  }
}

/** Keras's zoom about the image centre: input = centre + zoom · (output - centre) on each axis. */
export function zoom(zy: number, zx: number, height: number, width: number): Affine {
  return [zx, 0, ((width - 1) / 2) * (1 - zx), 0, zy, ((height - 1) / 2) * (1 - zy)];
}
