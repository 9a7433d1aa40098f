import { Tensor, dispose, slice, stack, tidy, uniform01, randomSeed } from '@strata/core';

/** A dataset element: a tensor, or lists and records of them (`[x, y]`, `{image, label}`). */
export type Element = Tensor | readonly Element[] | { readonly [key: string]: Element };

type Source<T> = () => AsyncIterator<T>;

/** The same structure with `fn` applied to each tensor. */
function mapLeaves(value: Element, fn: (t: Tensor) => Tensor): Element {
  if (value instanceof Tensor) return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapLeaves(v, fn));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapLeaves(v, fn)]));
}

/** Elements of one structure joined leaf by leaf with `fn`. */
function zipLeaves(values: readonly Element[], fn: (ts: Tensor[]) => Tensor): Element {
  const first = values[0];
  if (first instanceof Tensor) return fn(values as Tensor[]);
  if (Array.isArray(first)) return first.map((_, i) => zipLeaves(values.map((v) => (v as readonly Element[])[i]), fn));
  return Object.fromEntries(Object.keys(first).map((k) => [k, zipLeaves(values.map((v) => (v as Record<string, Element>)[k]), fn)]));
}

function leaves(value: unknown): Tensor[] {
  if (value instanceof Tensor) return [value];
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (value && typeof value === 'object') return Object.values(value).flatMap(leaves);
  return [];
}

/**
 * A small `tf.data.Dataset`: `Dataset.fromTensors(x, y)` gives one element per sample (`[x_i, y_i]`),
 * then `map`, `shuffle(bufferSize, seed)`, `batch(size)` and `prefetch(n)` chain lazily; `fit`,
 * `evaluate` and `predict` take it as a stream, starting a fresh pass each epoch. Elements are made as
 * they are read and belong to the reader (fit frees each batch after its step). `size` is the number
 * of elements when known, which gives fit its steps per epoch.
 */
export class Dataset<T = Element> implements AsyncIterable<T> {
  private constructor(private readonly source: Source<T>, readonly size: number | undefined) {}

  /** Keras's/tf's `from_tensor_slices`: element i is row i of x (and of y, and of w), the batch axis dropped. */
  static fromTensors(x: Element, y?: Element, w?: Element): Dataset<Element> {
    const parts = [x, ...(y === undefined ? [] : [y]), ...(w === undefined ? [] : [w])];
    const tensors = leaves(parts);
    if (!tensors.length) throw new Error('Dataset.fromTensors: expected tensors (a tensor, a list or a record of them)');
    const n = tensors[0].shape[0];
    const bad = tensors.find((t) => t.rank === 0 || t.shape[0] !== n);
    if (bad) throw new Error(`Dataset.fromTensors: every tensor needs the same number of rows (first axis): ${n} and shape ${JSON.stringify(bad.shape)}`);
    const element: Element = y === undefined ? x : parts;
    return new Dataset<Element>(async function* rows() {
      for (let i = 0; i < n; i++) yield mapLeaves(element, (t) => slice(t, [i]));
    }, n);
  }

  /** Elements of an (async) generator function, called afresh for each pass. */
  static fromGenerator<E>(make: () => Iterator<E> | AsyncIterator<E>, size?: number): Dataset<E> {
    return new Dataset<E>(async function* generated() {
      const it = make();
      for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
    }, size);
  }

  [Symbol.asyncIterator](): AsyncIterator<T> {
    return this.source();
  }

  /** `fn` on each element (in a `tidy`: its temporaries are freed; the input's tensors it does not return are freed too). */
  map<U extends Element>(fn: (element: T) => U): Dataset<U> {
    const source = this.source;
    return new Dataset<U>(async function* mapped() {
      const it = source();
      for (let r = await it.next(); !r.done; r = await it.next()) {
        const out = tidy(() => fn(r.value) as unknown as Tensor) as unknown as U;
        const kept = new Set(leaves(out));
        dispose(leaves(r.value).filter((t) => !kept.has(t)));
        yield out;
      }
    }, this.size);
  }

  /**
   * tf's shuffle: a buffer of `bufferSize` elements, each output drawn from it at random (seeded) and
   * replaced by the next input; each pass draws a new order (seed + pass). bufferSize ≥ size shuffles fully.
   */
  shuffle(bufferSize: number, seed: number = randomSeed()): Dataset<T> {
    if (!Number.isInteger(bufferSize) || bufferSize < 1) throw new Error(`Dataset.shuffle: bufferSize must be a positive integer, got ${bufferSize}`);
    const source = this.source;
    let pass = 0;
    return new Dataset<T>(async function* shuffled() {
      const s = (seed + Math.imul(pass++, 0x9e3779b9)) >>> 0;
      const it = source();
      const buffer: T[] = [];
      let draws = 0;
      let r = await it.next();
      for (; !r.done && buffer.length < bufferSize; r = await it.next()) buffer.push(r.value);
      while (buffer.length) {
        const j = Math.floor(uniform01(s, draws++) * buffer.length);
        const picked = buffer[j];
        if (!r.done) {
          buffer[j] = r.value;
          r = await it.next();
        } else {
          buffer[j] = buffer[buffer.length - 1];
          buffer.pop();
        }
        yield picked;
      }
    }, this.size);
  }

  /** Consecutive elements stacked along a new first axis (the last batch may be smaller unless `dropRemainder`). */
  batch(batchSize: number, dropRemainder = false): Dataset<Element> {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`Dataset.batch: batchSize must be a positive integer, got ${batchSize}`);
    const source = this.source as unknown as Source<Element>;
    const join = (items: Element[]): Element => {
      const out = zipLeaves(items, (ts) => stack(ts));
      dispose(items.flatMap(leaves));
      return out;
    };
    const size = this.size === undefined ? undefined : dropRemainder ? Math.floor(this.size / batchSize) : Math.ceil(this.size / batchSize);
    return new Dataset<Element>(async function* batched() {
      const it = source();
      let items: Element[] = [];
      for (let r = await it.next(); !r.done; r = await it.next()) {
        items.push(r.value);
        if (items.length === batchSize) {
          yield join(items);
          items = [];
        }
      }
      if (items.length && !dropRemainder) yield join(items);
      else dispose(items.flatMap(leaves));
    }, size);
  }

  /** Read up to `bufferSize` elements ahead of the consumer, so producing them overlaps with its work. */
  prefetch(bufferSize = 1): Dataset<T> {
    if (!Number.isInteger(bufferSize) || bufferSize < 1) throw new Error(`Dataset.prefetch: bufferSize must be a positive integer, got ${bufferSize}`);
    const source = this.source;
    return new Dataset<T>(() => {
      const it = source();
      const queue: Promise<IteratorResult<T>>[] = [];
      const fill = (): void => {
        while (queue.length < bufferSize + 1) queue.push(queue.length ? queue[queue.length - 1].then((r) => (r.done ? r : it.next())) : it.next());
      };
      return {
        next: () => {
          fill();
          const head = queue.shift()!;
          fill();
          return head;
        },
        return: async (value?: unknown) => {
          for (const r of await Promise.all(queue.splice(0))) if (!r.done) dispose(leaves(r.value));
          await it.return?.(value);
          return { done: true, value: undefined };
        },
      };
    }, this.size);
  }
}
