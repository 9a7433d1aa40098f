import type { Initializer } from '../initializers.ts';
import { formatLayerShape, type LayerConfig, type LayerShape } from './layer.ts';

/** What convolution and pooling layers share: their window arguments, normalized and checked. */

export type PaddingMode = 'valid' | 'same';

/** An int or one int per spatial axis (Keras's `kernel_size=3` or `(3, 3)`), as `rank` positive integers. */
export function windowTuple(layer: string, name: string, value: number | readonly number[], rank: number): number[] {
  const values = typeof value === 'number' ? new Array<number>(rank).fill(value) : [...value];
  if (values.length !== rank || values.some((v) => !Number.isInteger(v) || v < 1)) {
    throw new Error(`${layer}: ${name} must be a positive integer or ${rank} of them, got ${JSON.stringify(value)}`);
  }
  return values;
}

export function checkPadding(layer: string, padding: string | undefined): PaddingMode {
  const p = padding ?? 'valid';
  if (p !== 'valid' && p !== 'same') throw new Error(`${layer}: padding must be "valid" or "same", got ${JSON.stringify(padding)}`);
  return p;
}

/** Only channels_last: the layout every Strata kernel takes. */
export function checkDataFormat(layer: string, dataFormat: string | undefined): void {
  if (dataFormat !== undefined && dataFormat !== 'channels_last') {
    throw new Error(`${layer}: data_format "${dataFormat}" is not supported; Strata's image layers are channels_last only (batch, ..., channels): transpose the input instead`);
  }
}

/** The input must be (batch, ...rank spatial axes, channels). */
export function checkRank(layer: string, inputShape: LayerShape, rank: number, what: string): void {
  if (inputShape.length !== rank + 2) {
    throw new Error(`${layer}: expected input of rank ${rank + 2} ${what}, got ${formatLayerShape(inputShape)}`);
  }
}

/** Keras's output length of one spatial axis, or an error when the window does not fit the padded input. */
export function outputLength(layer: string, inputShape: LayerShape, size: number | null, window: number, stride: number, dilation: number, padding: PaddingMode): number | null {
  if (size === null) return null;
  if (padding === 'same') return Math.ceil(size / stride);
  const span = (window - 1) * dilation + 1;
  if (span > size) throw new Error(`${layer}: the window (${window}, dilation ${dilation}) spans ${span}, more than the valid-padded input axis of size ${size} in ${formatLayerShape(inputShape)}`);
  return Math.floor((size - span) / stride) + 1;
}

/** An initializer as a layer config holds it (`{className, config}`; io turns it into Keras's object). */
export const initializerConfig = (i: Initializer): LayerConfig => ({ className: i.className, config: i.getConfig() });

/** What every convolution layer takes for its window. */
export interface ConvWindowArgs {
  kernelSize: number | readonly number[];
  strides?: number | readonly number[];
  padding?: PaddingMode;
  /** Only 'channels_last' (Keras's default). */
  dataFormat?: 'channels_last';
  dilationRate?: number | readonly number[];
}

export interface ConvWindow {
  kernelSize: number[];
  strides: number[];
  dilationRate: number[];
  padding: PaddingMode;
}

/** A convolution's window over `rank` axes, checked: channels last, and (as in Keras) no strides > 1 with dilation > 1. */
export function convWindow(layer: string, args: ConvWindowArgs, rank: number): ConvWindow {
  checkDataFormat(layer, args.dataFormat);
  const kernelSize = windowTuple(layer, 'kernelSize', args.kernelSize, rank);
  const strides = windowTuple(layer, 'strides', args.strides ?? 1, rank);
  const dilationRate = windowTuple(layer, 'dilationRate', args.dilationRate ?? 1, rank);
  if (strides.some((s) => s > 1) && dilationRate.some((d) => d > 1)) {
    throw new Error(`${layer}: strides > 1 together with dilationRate > 1 is not supported (as in Keras), got strides ${JSON.stringify(strides)} and dilationRate ${JSON.stringify(dilationRate)}`);
  }
  return { kernelSize, strides, dilationRate, padding: checkPadding(layer, args.padding) };
}

export function positiveInteger(layer: string, name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${layer}: ${name} must be a positive integer, got ${value}`);
  return value;
}
