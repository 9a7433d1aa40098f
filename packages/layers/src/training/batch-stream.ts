import { Tensor, dispose } from '@strata/core';
import type { ModelData } from './data.ts';

/** One batch of a stream: `[x, y]` or `[x, y, sampleWeight]`, each as `fit` takes it (a tensor, a list or a record). */
export type StreamBatch = readonly [ModelData, ModelData] | readonly [ModelData, ModelData, ModelData];

/** What `fit`/`evaluate` take in place of tensors: a (async) generator, iterable or `Dataset` of batches. */
export type BatchStream<B = unknown> = Iterable<B> | AsyncIterable<B>;

/** A stream rather than tensors: something iterable that is not a Tensor, an array (a list of inputs) or a record. */
export function isBatchStream(value: unknown): value is BatchStream<unknown> {
  if (typeof value !== 'object' || value === null || value instanceof Tensor || Array.isArray(value)) return false;
  return Symbol.asyncIterator in value || Symbol.iterator in value;
}

/**
 * Reads a stream one batch ahead: as soon as batch k is handed out, batch k + 1 is asked for, so an
 * asynchronous producer (reading files, decoding, a slow generator) prepares it while the device trains
 * on batch k. A re-iterable source (a `Dataset`, an array of batches) starts over each epoch; an
 * iterator (a generator object) goes on where the last epoch stopped.
 */
export class BatchReader<B> {
  private iterator?: Iterator<B> | AsyncIterator<B>;
  private ahead?: Promise<IteratorResult<B>>;

  constructor(private readonly source: BatchStream<B>) {}

  /**
   * Start an epoch: a fresh iteration for re-iterable sources (the batch read ahead of the last epoch's
   * end is freed and that iteration closed); an iterator that is its own iterable goes on.
   */
  async restart(): Promise<void> {
    const fresh = Symbol.asyncIterator in this.source ? (this.source as AsyncIterable<B>)[Symbol.asyncIterator]() : (this.source as Iterable<B>)[Symbol.iterator]();
    if (this.iterator && (fresh as unknown) === this.iterator) return;
    await this.close();
    this.iterator = fresh;
  }

  /** Free the batch read ahead (if any) and end the iteration. */
  async close(): Promise<void> {
    const [iterator, ahead] = [this.iterator, this.ahead];
    this.iterator = undefined;
    this.ahead = undefined;
    if (ahead) {
      const left = await ahead;
      if (!left.done) dispose(tensorsIn(left.value));
    }
    await iterator?.return?.();
  }

  /** The next batch (undefined when the stream ended); the one after it is requested before this resolves. */
  async next(): Promise<B | undefined> {
    if (!this.iterator) await this.restart();
    const current = this.ahead ?? this.request();
    const result = await current;
    this.ahead = result.done ? undefined : this.request();
    return result.done ? undefined : result.value;
  }

  private request(): Promise<IteratorResult<B>> {
    const iterator = this.iterator!;
    // a synchronous iterator's next() runs now; wrapped so both kinds look alike
    return Promise.resolve().then(() => iterator.next());
  }
}

/** The tensors in a batch (nested lists and records). */
function tensorsIn(value: unknown): Tensor[] {
  if (value instanceof Tensor) return [value];
  if (Array.isArray(value)) return value.flatMap(tensorsIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(tensorsIn);
  return [];
}
