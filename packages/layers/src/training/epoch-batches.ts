import { dispose, gather, slice, tensor, tidy, type Tensor } from '@strata/core';
import type { Compiled } from './compile.ts';
import { BatchReader, type BatchStream, type StreamBatch } from './batch-stream.ts';
import { batchRanges, checkInputs, checkLabels, permutation, type Dataset } from './data.ts';
import type { TrainableModel } from '../graph/model-api.ts';
import { checkSampleWeight, classWeightsFor, type ClassWeight } from './sample-weight.ts';

/** A batch as a step takes it: inputs, targets and sample weights per output, in the model's order. */
export interface StepBatch {
  readonly x: readonly Tensor[];
  readonly y: readonly Tensor[];
  readonly w?: readonly (Tensor | undefined)[];
}

/**
 * The batches of one epoch (or one evaluation). `next(step)` resolves once batch `step` is ready (false:
 * the data ran out); `take(step)`, called inside the step's `tidy`, gives its tensors; `release(step)`
 * after the step frees what the batch owned. `ranges` holds each batch's [start, stop) in samples
 * counted from the epoch's start (known up front for tensors, filled in as a stream delivers).
 */
export interface EpochBatches {
  readonly steps: number;
  readonly ranges: Array<[number, number]>;
  /** The epoch's sample order, when tensors are shuffled (errors name samples by it). */
  readonly shuffled?: Int32Array;
  next(step: number): Promise<boolean>;
  take(step: number): StepBatch;
  release(step: number): void;
  dispose(): void;
}

/** What fit trains on: the number of steps per epoch and each epoch's batches. */
export interface TrainingData {
  readonly steps: number;
  epoch(epoch: number): EpochBatches;
}

/** Batches gathered on the device from tensors, in the (seeded, per-epoch) shuffled order or in order. */
export function tensorBatches(data: Dataset, batchSize: number, shuffled?: Int32Array): EpochBatches {
  const n = data.x[0].shape[0];
  const order = shuffled && tensor(shuffled, [n], 'int32');
  const ranges = batchRanges(n, batchSize);
  return {
    steps: ranges.length,
    ranges,
    shuffled,
    next: async () => true,
    take: (step) => {
      const [start, stop] = ranges[step];
      const picked = order && slice(order, [{ start, stop }]);
      const rows = (t: Tensor): Tensor => (picked ? gather(t, picked) : slice(t, [{ start, stop }]));
      return { x: data.x.map(rows), y: data.y.map(rows), w: data.w?.map((t) => t && rows(t)) };
    },
    release: () => {},
    dispose: () => order?.dispose(),
  };
}

/** fit's tensors: shuffled anew each epoch (seeded) unless `shuffle` is false. */
export function tensorTraining(data: Dataset, batchSize: number, shuffle: boolean, seed: number): TrainingData {
  const n = data.x[0].shape[0];
  return {
    steps: Math.ceil(n / batchSize),
    epoch: (epoch) => tensorBatches(data, batchSize, shuffle ? permutation(n, (seed + Math.imul(epoch, 0x9e3779b9)) >>> 0) : undefined),
  };
}

/** How a stream's batches are checked and weighted. */
export interface StreamOptions {
  where: string;
  classWeight?: ClassWeight;
}

/**
 * Batches from a stream, read one ahead (see BatchReader). Each is checked like fit's tensors (shapes,
 * sample weights; the first batch's labels too, once); the tensors it yields are fit's to free after
 * the step, so yield fresh ones (a `Dataset` does).
 */
export function streamBatches(model: TrainableModel, compiled: Compiled, reader: BatchReader<unknown>, steps: number, options: StreamOptions, firstOfAll: { checked: boolean }): EpochBatches {
  const ranges: Array<[number, number]> = [];
  let current: StepBatch | undefined;
  let owned: Tensor[] = [];
  return {
    steps,
    ranges,
    next: async (step) => {
      if (step === 0) await reader.restart();
      const item = await reader.next();
      if (item === undefined) return false;
      const at = `${options.where} (batch ${step + 1} of the stream)`;
      if (!Array.isArray(item) || item.length < 2 || item.length > 3) throw new Error(`${at}: expected [x, y] or [x, y, sampleWeight], got ${Array.isArray(item) ? `an array of ${item.length}` : typeof item}`);
      const [x, y, sw] = item as unknown as StreamBatch;
      const data = checkInputs(model, x, y, at);
      if (!firstOfAll.checked) {
        await checkLabels(model, compiled, data, at);
        model.graphFor(data.x.map((t) => t.shape.slice(1)));
        firstOfAll.checked = true;
      }
      if (sw !== undefined && options.classWeight) throw new Error(`${at}: give sampleWeight or classWeight, not both`);
      const weights = sw !== undefined ? checkSampleWeight(sw, model.outputNames, data.x[0].shape[0], at) : options.classWeight ? [tidy(() => classWeightsFor(data.y[0], options.classWeight!))] : undefined;
      current = { ...data, ...(weights ? { w: weights } : {}) };
      owned = [...data.x, ...data.y, ...(weights ?? []).filter((t): t is Tensor => t !== undefined)];
      const start = ranges.length ? ranges[ranges.length - 1][1] : 0;
      ranges.push([start, start + data.x[0].shape[0]]);
      return true;
    },
    take: () => current!,
    release: () => {
      dispose(owned);
      owned = [];
      current = undefined;
    },
    dispose: () => dispose(owned),
  };
}

/** The steps an epoch of a stream takes: `steps` when given, else the stream's own length (a `Dataset`'s). */
export function streamSteps(source: BatchStream<unknown>, steps: number | undefined, option: string, where: string): number {
  if (steps !== undefined) return steps;
  const size = (source as { size?: unknown }).size;
  if (typeof size === 'number' && Number.isFinite(size)) return size;
  throw new Error(`${where}: a generator or iterable of unknown length needs ${option} (the number of batches per epoch); a Dataset built with fromTensors and batch knows its length`);
}

/** fit's stream: `steps` batches per epoch; `close()` at the end frees the batch read ahead. */
export function streamTraining(model: TrainableModel, compiled: Compiled, source: BatchStream<unknown>, steps: number, options: StreamOptions): TrainingData & { close(): Promise<void> } {
  const reader = new BatchReader(source);
  const firstOfAll = { checked: false };
  return {
    steps,
    epoch: () => streamBatches(model, compiled, reader, steps, options, firstOfAll),
    close: () => reader.close(),
  };
}

