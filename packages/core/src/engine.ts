import type { DataHandle, Tensor } from './tensor.ts';
import type { GradOp } from './autograd/grad-ops.ts';

/**
 * Lifetimes and the gradient tape.
 *
 * - Every tensor is tracked while alive; `memory()` reports the count.
 * - `tidy(fn)` opens a scope: tensors created inside and not returned (nor kept) are disposed at its end.
 *   Scopes are synchronous by design: a training step runs its ops inside one tidy, and only reads
 *   (`await t.data()`) are asynchronous.
 * - While a tape records, tensors the tape needs for the backward pass are not freed by an inner `tidy`
 *   or `dispose()`: their disposal is deferred until the tape is done.
 * - Safety net: the engine holds live tensors weakly, so a tensor the user drops without disposing (outside
 *   any `tidy`) is garbage-collected, and a FinalizationRegistry then releases its storage. When that
 *   happens is up to the garbage collector (possibly never before the process ends); the library itself
 *   never relies on it: every tensor it creates is disposed explicitly. `memory().numReclaimed` counts them.
 */

/** What the finalizer needs of a collected tensor: its id and (the current) storage, never the tensor itself. */
export interface StorageCell {
  handle: DataHandle;
}

export interface TapeNode {
  readonly op: GradOp;
  readonly inputs: readonly Tensor[];
  readonly output: Tensor;
  readonly attrs: Readonly<Record<string, unknown>>;
}

export interface Tape {
  readonly nodes: TapeNode[];
  /** Ids of tensors that depend on a watched variable. */
  readonly watched: Set<number>;
  /** Non-differentiable ops that consumed a watched tensor (for the "no gradient" message). */
  readonly blocked: Set<string>;
  /** Tensors whose disposal waits for the end of the tape. */
  readonly held: Set<Tensor>;
  readonly deferred: Set<Tensor>;
}

class Engine {
  private live = new Map<number, WeakRef<Tensor>>();
  /** Tensors released by the safety net. */
  reclaimed = 0;
  private readonly finalizer = new FinalizationRegistry<{ id: number; cell: StorageCell }>((held) => this.reclaim(held.id, held.cell));
  private kept = new Set<number>();
  private scopes: Set<Tensor>[] = [];
  tape: Tape | undefined;

  track(t: Tensor, cell: StorageCell): void {
    this.live.set(t.id, new WeakRef(t));
    this.finalizer.register(t, { id: t.id, cell }, t);
    this.scopes[this.scopes.length - 1]?.add(t);
  }

  untrack(t: Tensor): void {
    this.live.delete(t.id);
    this.kept.delete(t.id);
    this.finalizer.unregister(t);
  }

  /** A tensor nobody disposed was garbage-collected: release its share of the storage. */
  private reclaim(id: number, cell: StorageCell): void {
    if (!this.live.delete(id)) return;
    this.kept.delete(id);
    this.reclaimed++;
    const h = cell.handle;
    if (--h.refCount > 0) return;
    try {
      h.backend.release(h.ref);
    } catch {
      // the backend was disposed (or its device lost) first: its storage is already gone
    }
  }

  /** Exclude a tensor from every enclosing `tidy`. */
  keep<T extends Tensor>(t: T): T {
    this.kept.add(t.id);
    for (const s of this.scopes) s.delete(t);
    return t;
  }

  isKept(t: Tensor): boolean {
    return this.kept.has(t.id);
  }

  deferDispose(t: Tensor): boolean {
    if (this.tape && this.tape.held.has(t)) {
      this.tape.deferred.add(t);
      return true;
    }
    return false;
  }

  liveTensors(): number {
    return this.live.size;
  }

  liveTensorList(): Tensor[] {
    const out: Tensor[] = [];
    for (const ref of this.live.values()) {
      const t = ref.deref();
      if (t) out.push(t);
    }
    return out;
  }

  startScope(): void {
    this.scopes.push(new Set());
  }

  /** Close the innermost scope, disposing what it created except `result` tensors. */
  endScope(result: readonly Tensor[]): void {
    const scope = this.scopes.pop();
    if (!scope) throw new Error('tidy: scope stack underflow');
    const keepIds = new Set(result.map((t) => t.id));
    for (const t of scope) {
      if (keepIds.has(t.id) || this.kept.has(t.id)) continue;
      t.dispose();
    }
    // returned tensors belong to the enclosing scope now
    const parent = this.scopes[this.scopes.length - 1];
    if (parent) for (const t of result) if (!t.isDisposed && !this.kept.has(t.id)) parent.add(t);
  }

  /** Record an op on the active tape when any input depends on a watched variable. */
  record(op: GradOp, inputs: readonly Tensor[], output: Tensor, attrs: Record<string, unknown> = {}): void {
    const tape = this.tape;
    if (!tape || this.paused > 0 || !inputs.some((t) => tape.watched.has(t.id))) return;
    tape.watched.add(output.id);
    tape.nodes.push({ op, inputs, output, attrs });
    for (const t of inputs) tape.held.add(t);
    tape.held.add(output);
  }

  /** Note a non-differentiable op applied to a watched tensor. */
  recordBlocked(op: string, inputs: readonly Tensor[]): void {
    const tape = this.tape;
    if (tape && this.paused === 0 && inputs.some((t) => tape.watched.has(t.id))) tape.blocked.add(op);
  }

  private paused = 0;

  /** Run a composite op's internals without recording them (the composite records one node). */
  untaped<T>(fn: () => T): T {
    this.paused++;
    try {
      return fn();
    } finally {
      this.paused--;
    }
  }
}

export const engine = new Engine();

/** Collect the tensors inside a result (a tensor, an array, or an object of them). */
export function tensorsIn(result: unknown, out: Tensor[] = []): Tensor[] {
  if (result && typeof result === 'object') {
    if ('handle' in result && 'shape' in result && 'dtype' in result) out.push(result as Tensor);
    else if (Array.isArray(result)) for (const r of result) tensorsIn(r, out);
    else if (Object.getPrototypeOf(result) === Object.prototype) for (const r of Object.values(result)) tensorsIn(r, out);
  }
  return out;
}

/** Run `fn`, then dispose every tensor it created except those it returns. Synchronous functions only. */
export function tidy<T>(fn: () => T): T {
  engine.startScope();
  let result: T;
  try {
    result = fn();
  } catch (err) {
    engine.endScope([]);
    throw err;
  }
  if (result instanceof Promise) {
    engine.endScope([]);
    throw new Error('tidy: the function returned a Promise; tidy scopes are synchronous (await outside, compute inside)');
  }
  engine.endScope(tensorsIn(result));
  return result;
}

/** Keep a tensor alive past the end of the enclosing `tidy` scopes. */
export function keep<T extends Tensor>(t: T): T {
  return engine.keep(t);
}

export function dispose(x: unknown): void {
  for (const t of tensorsIn(x)) t.dispose();
}
