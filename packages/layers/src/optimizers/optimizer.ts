import { Variable, add, div, fill, greater, maximum, minimum, clipByValue, mul, reshape, scalar, sqrt, square, sub, sum, tidy, where, formatShape, type Tensor } from '@strata/core';
import { z } from 'zod';
import { uniqueName } from '../layers/layer.ts';
import { guarded } from '../training/step-guard.ts';

/**
 * Keras 3's `BaseOptimizer`, for eager use on any backend.
 *
 * - `learningRate` is a number (stored float32-rounded, like Keras's `learning_rate` variable, so the
 *   getter and `getConfig()` give what Keras gives); setting it is what ReduceLROnPlateau does.
 * - `iterations` is a plain number (no read-back needed); the same count is mirrored into an int32
 *   `iteration` variable so it can be saved with the other optimizer variables.
 * - Slot variables (`<var>_momentum`, …) are created on first use for each model variable; every update
 *   runs as tensor ops inside one `tidy` and ends in `Variable.assign`, so nothing is read back from the
 *   device during training. Step-dependent constants (Adam's bias correction) are computed on the host
 *   from the host-side counter. New tensors go to the active backend: keep it the one the weights live on.
 */

export type OptimizerConfig = Record<string, string | number | boolean | null>;

/** One optimizer variable per model variable, e.g. Adam's `momentum` (`initialValue` defaults to 0). */
export interface SlotSpec {
  readonly name: string;
  readonly initialValue?: number;
}

export type Slots = Readonly<Record<string, Tensor>>;

/** What an update step sees besides the gradient: the learning rate and the 1-based step (Keras's `iterations + 1`). */
export interface StepInfo {
  readonly learningRate: number;
  readonly step: number;
}

/** An update's result: the variable's new value and the new value of each slot it changed. */
export interface Update {
  readonly value: Tensor;
  readonly slots: Slots;
}

const clipOption = z.number().positive().nullable().default(null);

/** Options every optimizer takes (Keras's base keyword arguments, camelCase). */
export const baseOptions = z.strictObject({
  learningRate: z.number().nonnegative(),
  weightDecay: z.number().nonnegative().nullable().default(null),
  clipnorm: clipOption,
  clipvalue: clipOption,
  globalClipnorm: clipOption,
  name: z.string().min(1).optional(),
});

export type BaseConfig = z.output<typeof baseOptions>;

/** A rate in [0, 1] (`rho`, `momentum`) or [0, 1) (`beta1`, `beta2`) with Keras's default. */
export const unitInterval = (fallback: number) => z.number().min(0).max(1).default(fallback);
export const belowOne = (fallback: number) => z.number().min(0).lt(1).default(fallback);
export const nonNegative = (fallback: number) => z.number().nonnegative().default(fallback);
export const flag = (fallback: boolean) => z.boolean().default(fallback);

/** The class name (errors, `getConfig`) and the prefix of default names (`adam`, `adam_1`, …). */
export interface OptimizerKind {
  readonly className: string;
  readonly prefix: string;
}

type GradientPairs = readonly (readonly [Tensor, Variable])[];

export abstract class Optimizer {
  readonly className: string;
  readonly name: string;
  readonly weightDecay: number | null;
  readonly clipnorm: number | null;
  readonly clipvalue: number | null;
  readonly globalClipnorm: number | null;
  private lr = 0;
  private step = 0;
  private iterationVariable?: Variable;
  private learningRateVariable?: Variable;
  /** Slots per model variable, in the order the variables were first seen. */
  private readonly slots = new Map<Variable, Record<string, Variable>>();

  protected constructor(kind: OptimizerKind, config: BaseConfig) {
    this.className = kind.className;
    this.name = config.name ?? uniqueName(kind.prefix);
    this.learningRate = config.learningRate;
    this.weightDecay = config.weightDecay;
    this.clipnorm = config.clipnorm;
    this.clipvalue = config.clipvalue;
    this.globalClipnorm = config.globalClipnorm;
    const clips = (['clipnorm', 'clipvalue', 'globalClipnorm'] as const).filter((k) => config[k] !== null);
    if (clips.length > 1) {
      throw new Error(`${this.className}: only one of 'clipnorm', 'clipvalue' and 'globalClipnorm' can be set (got ${clips.map((k) => `${k}=${config[k]}`).join(', ')})`);
    }
  }

  /** Slot names in Keras's build order: groups one after another, the names of a group interleaved per variable. */
  protected abstract slotGroups(): readonly (readonly SlotSpec[])[];

  /** The update rule for one variable: `value` is the variable (after weight decay), `slots` its slots. */
  protected abstract update(grad: Tensor, value: Tensor, slots: Slots, info: StepInfo): Update;

  /** This optimizer's own `get_config` entries (snake_case, as Keras). */
  protected abstract ownConfig(): OptimizerConfig;

  get learningRate(): number {
    return this.lr;
  }

  set learningRate(value: number) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`${this.className}: 'learningRate' must be a finite number >= 0, got ${String(value)}`);
    }
    this.lr = Math.fround(value);
    const lrVar = this.learningRateVariable;
    if (lrVar) tidy(() => lrVar.assign(scalar(this.lr)));
  }

  /** Steps taken so far (Keras's `optimizer.iterations`). */
  get iterations(): number {
    return this.step;
  }

  /**
   * Re-read `iterations` from the device's counter: after a step skipped by fit's non-finite guard
   * (training/step-guard.ts) the host count is ahead of it.
   */
  async syncIterations(): Promise<void> {
    const [count] = await this.stateVariables().iteration.data();
    this.step = count;
  }

  /** Create the slots of variables not seen before (Keras builds on the first `applyGradients`). */
  build(variables: readonly Variable[]): void {
    this.stateVariables();
    const fresh = variables.filter((v, i) => !this.slots.has(v) && variables.indexOf(v) === i);
    if (!fresh.length) return;
    tidy(() => {
      for (const v of fresh) this.slots.set(v, {});
      for (const group of this.slotGroups()) {
        for (const v of fresh) {
          for (const spec of group) {
            const name = `${v.name.replace(/\//g, '_')}_${spec.name}`;
            this.slots.get(v)![spec.name] = new Variable(fill(v.shape, spec.initialValue ?? 0, v.dtype), name, false);
          }
        }
      }
    });
  }

  /**
   * One update of `variables` from `grads`: `applyGradients([[grad, variable], …])` (Keras's order) or
   * `applyGradients(grads, variables)`. Clip, weight decay, update rule, as Keras's `apply`.
   */
  applyGradients(pairs: GradientPairs): void;
  applyGradients(grads: readonly Tensor[], variables: readonly Variable[]): void;
  applyGradients(first: GradientPairs | readonly Tensor[], second?: readonly Variable[]): void {
    const [grads, variables] = second === undefined ? this.unzip(first as GradientPairs) : [first as readonly Tensor[], second];
    this.checkGradients(grads, variables);
    if (!grads.length) return;
    this.build(variables);
    const info: StepInfo = { learningRate: this.lr, step: this.step + 1 };
    tidy(() => {
      const clipped = this.clipGradients(grads);
      variables.forEach((variable, i) => {
        const slotVars = this.slots.get(variable)!;
        const { value, slots } = this.update(clipped[i], this.decayed(variable), slotVars, info);
        variable.assign(guarded(value, variable));
        for (const [name, next] of Object.entries(slots)) slotVars[name].assign(guarded(next, slotVars[name]));
      });
      const { iteration } = this.stateVariables();
      iteration.assign(guarded(scalar(info.step, 'int32'), iteration));
    });
    this.step = info.step;
  }

  /**
   * Keras's `optimizer.variables`: `[iteration, learning_rate, ...slots]`, the slots in Keras's build
   * order (e.g. Adam: each variable's momentum and velocity, then every velocity_hat; RMSprop: every
   * velocity, then every momentum, then every average_gradient), matching Keras 3's saved `optimizer/vars`
   * when built on the same variables in the same order.
   */
  variables(): Variable[] {
    const { iteration, learningRate } = this.stateVariables();
    return [iteration, learningRate, ...this.slotVariables()];
  }

  /** Zero-copy snapshots of `variables()` (later updates replace the variables' storage); dispose them when done. */
  getWeights(): Tensor[] {
    return this.variables().map((v) => reshape(v, v.shape));
  }

  /**
   * Restore `getWeights()` / Keras's saved `optimizer/vars` (same order). The optimizer must be built on
   * the same variables first (`build` or one `applyGradients`). Asynchronous: the iteration count and the
   * learning rate are read back. Everything is checked before anything changes.
   */
  async setWeights(weights: readonly Tensor[]): Promise<void> {
    const vars = this.variables();
    if (!isList(weights) || weights.length !== vars.length) {
      const got = isList(weights) ? `${weights.length} weights` : typeof weights;
      throw new Error(`${this.className}.setWeights: optimizer '${this.name}' has ${vars.length} variables, got ${got}${this.slots.size ? '' : ' (build it on the model variables first)'}`);
    }
    vars.forEach((v, i) => {
      const w = weights[i];
      if (!isTensor(w)) throw new Error(`${this.className}.setWeights: weight ${i} ('${v.name}') is not a Tensor`);
      const sameShape = w.rank === v.rank && w.shape.every((d, j) => d === v.shape[j]);
      if (!sameShape || (i >= 2 && w.dtype !== v.dtype)) {
        throw new Error(`${this.className}.setWeights: weight ${i} ('${v.name}') expects shape ${formatShape(v.shape)} ${v.dtype}, got ${formatShape(w.shape)} ${w.dtype}`);
      }
    });
    const [iteration, learningRate] = await Promise.all([weights[0].data(), weights[1].data()]);
    if (!Number.isInteger(iteration[0]) || iteration[0] < 0) throw new Error(`${this.className}.setWeights: the iteration count must be an integer >= 0, got ${iteration[0]}`);
    this.learningRate = learningRate[0];
    this.step = iteration[0];
    tidy(() => this.stateVariables().iteration.assign(scalar(this.step, 'int32')));
    vars.slice(2).forEach((v, i) => v.assign(weights[i + 2]));
  }

  /** Keras's `get_config()` (snake_case keys; Keras-only features at their off values). */
  getConfig(): OptimizerConfig {
    return {
      name: this.name,
      learning_rate: this.lr,
      weight_decay: this.weightDecay,
      clipnorm: this.clipnorm,
      global_clipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
      use_ema: false,
      ema_momentum: 0.99,
      ema_overwrite_frequency: null,
      loss_scale_factor: null,
      gradient_accumulation_steps: null,
      ...this.ownConfig(),
    };
  }

  /** Free the optimizer's variables; the optimizer starts afresh if used again. */
  dispose(): void {
    for (const v of [this.iterationVariable, this.learningRateVariable, ...this.slotVariables()]) v?.dispose();
    this.slots.clear();
    this.iterationVariable = this.learningRateVariable = undefined;
  }

  /** Every slot, groups one after another, each group's names interleaved per variable (Keras's build order). */
  private slotVariables(): Variable[] {
    const tracked = [...this.slots.values()];
    return this.slotGroups().flatMap((group) => tracked.flatMap((s) => group.map((spec) => s[spec.name])));
  }

  private stateVariables(): { iteration: Variable; learningRate: Variable } {
    this.iterationVariable ??= tidy(() => new Variable(scalar(this.step, 'int32'), 'iteration', false));
    this.learningRateVariable ??= tidy(() => new Variable(scalar(this.lr), 'learning_rate', false));
    return { iteration: this.iterationVariable, learningRate: this.learningRateVariable };
  }

  private unzip(pairs: GradientPairs): [Tensor[], Variable[]] {
    if (!isList(pairs) || pairs.some((p) => !isList(p) || p.length !== 2)) {
      throw new Error(`${this.className}.applyGradients: expected [gradient, variable] pairs, or (gradients, variables)`);
    }
    return [pairs.map((p) => p[0]), pairs.map((p) => p[1])];
  }

  private checkGradients(grads: readonly Tensor[], variables: readonly Variable[]): void {
    const where = `${this.className}.applyGradients`;
    if (!isList(grads) || !isList(variables) || grads.length !== variables.length) {
      throw new Error(`${where}: expected as many gradients as variables, got ${isList(grads) ? grads.length : typeof grads} and ${isList(variables) ? variables.length : typeof variables}`);
    }
    variables.forEach((v, i) => {
      if (!(v instanceof Variable)) throw new Error(`${where}: variable ${i} is not a Variable`);
      const g = grads[i];
      if (!isTensor(g)) throw new Error(`${where}: the gradient of '${v.name}' is missing`);
      g.assertAlive(`apply the gradient of '${v.name}' from`);
      v.assertAlive('update');
      if (g.rank !== v.rank || g.shape.some((d, j) => d !== v.shape[j]) || g.dtype !== v.dtype) {
        throw new Error(`${where}: the gradient of '${v.name}' is ${formatShape(g.shape)} ${g.dtype}; expected ${formatShape(v.shape)} ${v.dtype}`);
      }
    });
  }

  /** Keras's `_clip_gradients`: per-tensor norm, global norm, or element-wise value. */
  private clipGradients(grads: readonly Tensor[]): readonly Tensor[] {
    if (this.clipnorm !== null) {
      const c = this.clipnorm;
      return grads.map((g) => div(mul(g, c), maximum(safeNorm(sum(square(g))), c)));
    }
    if (this.globalClipnorm !== null) {
      const c = this.globalClipnorm;
      const norm = sqrt(grads.map((g) => sum(square(g))).reduce((a, b) => add(a, b)));
      // c·min(1/norm, 1/c), made NaN when the norm is not finite (as Keras)
      const scale = add(mul(minimum(div(1, norm), 1 / c), c), sub(norm, norm));
      return grads.map((g) => mul(g, scale));
    }
    if (this.clipvalue !== null) {
      const c = this.clipvalue;
      return grads.map((g) => clipByValue(g, -c, c));
    }
    return grads;
  }

  /** Keras's decoupled weight decay, applied before the update: `v - v·(wd·lr)` (one multiply; Keras does `(v·wd)·lr`). */
  private decayed(variable: Variable): Tensor {
    return this.weightDecay ? sub(variable, mul(variable, this.weightDecay * this.lr)) : variable;
  }
}

/** sqrt of a sum of squares, 0 when it is 0 (Keras's two-tap `where`, so no NaN gradient paths). */
function safeNorm(l2sum: Tensor): Tensor {
  const positive = greater(l2sum, 0);
  return where(positive, sqrt(where(positive, l2sum, 1)), l2sum);
}

/** `Array.isArray` without narrowing a typed array to `any[]`. */
function isList(value: unknown): boolean {
  return Array.isArray(value);
}

function isTensor(value: unknown): value is Tensor {
  return typeof value === 'object' && value !== null && 'shape' in value && 'handle' in value;
}
