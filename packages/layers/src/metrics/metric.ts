import { Variable, add, fill, tidy, type Tensor } from '@strata/core';
import { snakeCase } from '../layers/layer.ts';

/** A metric's options as Keras writes them in `get_config()` (snake_case keys, JSON values). */
export type MetricConfig = Record<string, unknown>;

/**
 * Keras's `Metric`: state held in device variables, folded in batch by batch with `updateState` and
 * read with `result()`; `resetState()` zeroes it. Training calls `updateState` inside each step's `tidy`
 * and reads `result()` only at the progress bar's rate, so a GPU never waits on the host per step.
 *
 * Subclasses create their state with `addVariable` in the constructor, replace it in `updateState` with
 * `assign`/`assignAdd` (call inside a `tidy`), and compute `result()` from it. The name defaults to the
 * class name in snake_case (`Precision` → `precision`), as in Keras.
 */
export abstract class Metric {
  readonly name: string;
  /** Keras's class name, written in a saved `compile_config`; the subclass's own name by default. */
  readonly className: string;
  private readonly state: Variable[] = [];
  private readonly initial: number[] = [];

  constructor(name?: string) {
    this.className = new.target.name;
    this.name = name ?? snakeCase(this.className);
  }

  abstract updateState(yTrue: Tensor, yPred: Tensor, sampleWeight?: Tensor): void;

  /** The current value (a scalar, or a vector for per-class results); the caller disposes it. */
  abstract result(): Tensor;

  /** Whether `result()` is one number (what fit's logs hold); metrics with per-class or per-threshold results say false. */
  get scalarResult(): boolean {
    return true;
  }

  /** A variable of the metric's state, `initial` everywhere until the first update (and after each reset). */
  protected addVariable(shape: readonly number[], initial = 0): Variable {
    const v = tidy(() => new Variable(fill(shape, initial), `${this.name}/state_${this.state.length}`, false));
    this.state.push(v);
    this.initial.push(initial);
    return v;
  }

  /** The state variables, in creation order (Keras's `metric.variables`). */
  get variables(): readonly Variable[] {
    return this.state;
  }

  resetState(): void {
    tidy(() => this.state.forEach((v, i) => v.assign(fill(v.shape, this.initial[i]))));
  }

  /** The options that rebuild this metric (Keras's `get_config()`: `name`, `dtype` and the metric's own). */
  getConfig(): MetricConfig {
    return { name: this.name, dtype: 'float32' };
  }

  /** Free the state variables. */
  dispose(): void {
    for (const v of this.state) v.dispose();
  }
}

/** `v += delta` on a metric variable (inside a `tidy`). */
export function assignAdd(v: Variable, delta: Tensor): void {
  v.assign(add(v, delta));
}
