import { FILL_MODES, INTERPOLATIONS, type FillMode, type Interpolation, type Sampling } from './affine-sample.ts';

/** The arguments the image augmentation layers share, checked as Keras 3 checks them. */

/** A factor: f (the range [-|f|, |f|]) or [lower, upper]. */
export type Factor = number | readonly [number, number];

export interface FillArgs {
  /** How points outside the image are filled: 'reflect' (default), 'wrap', 'constant' or 'nearest'. */
  fillMode?: FillMode;
  /** 'bilinear' (default) or 'nearest'. */
  interpolation?: Interpolation;
  /** The value outside the image when fillMode is 'constant'; default 0. */
  fillValue?: number;
  /** Seeds the sequence of transforms (each training call draws the next ones). */
  seed?: number;
  dataFormat?: 'channels_last';
}

/**
 * [lower, upper] from a factor; every bound must lie in [-1, 1] (`openLower`: (-1, 1], as RandomZoom's,
 * whose factor -1 would zoom to nothing).
 */
export function factorRange(layer: string, name: string, factor: Factor | undefined, openLower = false): [number, number] {
  const bounds = openLower ? '(-1, 1]' : '[-1, 1]';
  const inRange = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v <= 1 && (openLower ? v > -1 : v >= -1);
  const pair = typeof factor === 'number' ? [-Math.abs(factor), Math.abs(factor)] : Array.isArray(factor) ? [...(factor as readonly unknown[])] : [];
  if ((typeof factor === 'number' && !inRange(factor)) || pair.length !== 2 || !pair.every(inRange)) {
    throw new Error(`${layer}: ${name} must be a number or a pair [lower, upper] of numbers in ${bounds}, got ${JSON.stringify(factor)}`);
  }
  const [a, b] = pair as number[];
  return a <= b ? [a, b] : [b, a];
}

/** fillMode, interpolation and fillValue with Keras's defaults. */
export function samplingArgs(layer: string, args: FillArgs): Sampling {
  const fillMode = args.fillMode ?? 'reflect';
  const interpolation = args.interpolation ?? 'bilinear';
  if (!FILL_MODES.includes(fillMode)) throw new Error(`${layer}: unknown fillMode ${JSON.stringify(fillMode)}; expected one of ${FILL_MODES.join(', ')}`);
  if (!INTERPOLATIONS.includes(interpolation)) throw new Error(`${layer}: unknown interpolation ${JSON.stringify(interpolation)}; expected one of ${INTERPOLATIONS.join(', ')}`);
  const fillValue = args.fillValue ?? 0;
  if (typeof fillValue !== 'number' || !Number.isFinite(fillValue)) throw new Error(`${layer}: fillValue must be a finite number, got ${JSON.stringify(fillValue)}`);
  return { fillMode, interpolation, fillValue };
}

/** The i-th call's seed from a layer's seed (as Dropout draws its masks). */
export const callSeed = (seed: number, call: number): number => (seed + Math.imul(call, 0x9e3779b9)) >>> 0;
