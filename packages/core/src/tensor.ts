import type { Backend, DataRef, TensorInfo } from './backend.ts';
import type { DType, TypedArray } from './dtype.ts';
import { sizeOf, type Shape } from './shape.ts';
import { engine, type StorageCell } from './engine.ts';
import { formatTensor } from './format.ts';

/** Storage shared by a tensor and its reshaped views; released when the last one is disposed. */
export class DataHandle {
  refCount = 1;
  constructor(readonly backend: Backend, public ref: DataRef, readonly bytes: number) {}
}

export type NestedArray = number | boolean | NestedArray[];

let nextId = 0;

export class Tensor {
  readonly id = nextId++;
  readonly shape: readonly number[];
  readonly size: number;
  private disposedFlag = false;
  /** The storage, in a cell the safety-net finalizer can hold without holding the tensor. */
  private readonly cell: StorageCell;

  /** @internal use the creation ops (`tensor`, `zeros`, …) instead. */
  constructor(handle: DataHandle, shape: Shape, readonly dtype: DType) {
    this.shape = Object.freeze([...shape]);
    this.size = sizeOf(shape);
    this.cell = { handle };
    engine.track(this, this.cell);
  }

  get handle(): DataHandle {
    return this.cell.handle;
  }
  protected set handle(h: DataHandle) {
    this.cell.handle = h;
  }

  get rank(): number {
    return this.shape.length;
  }
  get ndim(): number {
    return this.shape.length;
  }
  get isDisposed(): boolean {
    return this.disposedFlag;
  }
  get backend(): Backend {
    return this.handle.backend;
  }

  /** @internal what a kernel sees. */
  info(): TensorInfo {
    this.assertAlive('use');
    return { ref: this.handle.ref, shape: this.shape, dtype: this.dtype };
  }

  assertAlive(what: string): void {
    if (this.disposedFlag) throw new Error(`Tensor ${this.id} ${this.describe()}: cannot ${what} a disposed tensor`);
  }

  describe(): string {
    return `(shape [${this.shape.join(', ')}], ${this.dtype})`;
  }

  /** The flat values (a copy). Asynchronous: on the GPU this is the sync point. */
  async data(): Promise<TypedArray> {
    this.assertAlive('read');
    return this.handle.backend.read(this.info());
  }

  /** Values as nested arrays (bool as true/false). */
  async array(): Promise<NestedArray> {
    return toNested(await this.data(), this.shape, this.dtype);
  }

  /** Synchronous values when the backend can give them (the CPU backend); throws on the GPU. */
  dataSync(): TypedArray {
    this.assertAlive('read');
    const read = this.handle.backend.readSync;
    if (!read) throw new Error(`dataSync: the ${this.handle.backend.name} backend reads asynchronously; use await tensor.data()`);
    return read.call(this.handle.backend, this.info());
  }

  dispose(): void {
    if (this.disposedFlag) return;
    if (engine.deferDispose(this)) return;
    this.disposedFlag = true;
    engine.untrack(this);
    const h = this.handle;
    if (--h.refCount === 0) h.backend.release(h.ref);
  }

  /** numpy-like text; values are shown when readable synchronously, else a hint to use `print()`. */
  toString(): string {
    if (this.disposedFlag) return `Tensor(disposed)`;
    if (!this.handle.backend.readSync) return `Tensor(shape=[${this.shape.join(', ')}], dtype=${this.dtype}, backend=${this.handle.backend.name}; await .format() to see values)`;
    return formatTensor(this.dataSync(), this.shape, this.dtype);
  }

  /** numpy-like text of the values, on any backend. */
  async format(): Promise<string> {
    return formatTensor(await this.data(), this.shape, this.dtype);
  }

  async print(): Promise<void> {
    console.log(await this.format());
  }
}

export function toNested(values: TypedArray, shape: Shape, dtype: DType): NestedArray {
  const conv = dtype === 'bool' ? (v: number) => v !== 0 : (v: number) => v;
  if (shape.length === 0) return conv(values[0]);
  const build = (dim: number, offset: number): NestedArray[] => {
    const n = shape[dim];
    const stride = sizeOf(shape.slice(dim + 1));
    const out: NestedArray[] = new Array(n);
    for (let i = 0; i < n; i++) {
      out[i] = dim === shape.length - 1 ? conv(values[offset + i]) : build(dim + 1, offset + i * stride);
    }
    return out;
  };
  return build(0, 0);
}

/** A named, trainable tensor whose value can be replaced in place; never freed by `tidy`. */
export class Variable extends Tensor {
  constructor(initial: Tensor, readonly name: string, public trainable = true) {
    const h = initial.handle;
    h.refCount++;
    super(h, initial.shape, initial.dtype);
    engine.keep(this);
  }

  /** Replace the value (same shape and dtype); the old storage is released. */
  assign(value: Tensor): void {
    this.assertAlive('assign to');
    if (value.dtype !== this.dtype || value.shape.length !== this.shape.length || value.shape.some((d, i) => d !== this.shape[i])) {
      throw new Error(`Variable '${this.name}'.assign: expected ${this.describe()}, got ${value.describe()}`);
    }
    const old = this.handle;
    value.handle.refCount++;
    this.handle = value.handle;
    if (--old.refCount === 0) old.backend.release(old.ref);
  }
}
