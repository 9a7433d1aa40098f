import { Variable, add, div, fill, greater, maximum, minimum, clipByValue, mul, reshape, scalar, sqrt, square, sub, sum, tidy, where, zerosLike, formatShape, type Tensor } from '@strata/core';
import { z } from 'zod';
import { uniqueName } from '../layers/layer.ts';
import { guarded } from '../training/step-guard.ts';
import { LearningRateSchedule, serializeSchedule, type LearningRate, type SerializedSchedule } from './schedules/schedule.ts';

/**
 * Keras 3's `BaseOptimizer`, for eager use on any backend.
 *
 * - `learningRate` is a number (stored float32-rounded, like Keras's `learning_rate` variable, so the
 *   getter and `getConfig()` give what Keras gives); setting it is what ReduceLROnPlateau does. It may
 *   instead be a `LearningRateSchedule` or a function of the step count, evaluated on the host at each
 *   step (then, as in Keras, there is no `learning_rate` variable and the rate cannot be set).
 * - `useEma` keeps an exponential moving average of each variable (`<var>_average`, the first slots);
 *   `gradientAccumulationSteps` sums the gradients of that many calls (`<var>_gradient_accumulator`) and
 *   applies their mean on the last: Keras 3's `_backend_apply_gradients` (JAX), with the update-or-not
 *   decision taken on the host from the step count.
 * - `iterations` is a plain number (no read-back needed); the same count is mirrored into an int32
 *   `iteration` variable so it can be saved with the other optimizer variables.
 * - Slot variables (`<var>_momentum`, …) are created on first use for each model variable; every update
 *   runs as tensor ops inside one `tidy` and ends in `Variable.assign`, so nothing is read back from the
 *   device during training. Step-dependent constants (Adam's bias correction) are computed on the host
 *   from the host-side counter. New tensors go to the active backend: keep it the one the weights live on.
 */

export type OptimizerConfig = Record<string, string | number | boolean | null | SerializedSchedule>;

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

const learningRateOption = z.union(
  [z.number().nonnegative(), z.instanceof(LearningRateSchedule), z.custom<(step: number) => number>((v) => typeof v === 'function')],
  { error: 'expected a number >= 0, a LearningRateSchedule or a function (step) => number' },
);

/** Options every optimizer takes (Keras's base keyword arguments, camelCase). */
export const baseOptions = z.strictObject({
  learningRate: learningRateOption,
  weightDecay: z.number().nonnegative().nullable().default(null),
  clipnorm: clipOption,
  clipvalue: clipOption,
  globalClipnorm: clipOption,
  useEma: z.boolean().default(false),
  emaMomentum: z.number().min(0).max(1).default(0.99),
  emaOverwriteFrequency: z.number().int().min(1).nullable().default(null),
  gradientAccumulationSteps: z.number().int().min(2).nullable().default(null),
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
  readonly useEma: boolean;
  readonly emaMomentum: number;
  readonly emaOverwriteFrequency: number | null;
  readonly gradientAccumulationSteps: number | null;
  private lr = 0;
  /** A schedule or function given as `learningRate` (then `lr` is unused). */
  private readonly schedule?: LearningRateSchedule | ((step: number) => number);
  private step = 0;
  private iterationVariable?: Variable;
  private learningRateVariable?: Variable;
  /** Slots per model variable, in the order the variables were first seen. */
  private readonly slots = new Map<Variable, Record<string, Variable>>();

  protected constructor(kind: OptimizerKind, config: BaseConfig) {
    this.className = kind.className;
    this.name = config.name ?? uniqueName(kind.prefix);
    if (typeof config.learningRate === 'number') this.learningRate = config.learningRate;
    else this.schedule = config.learningRate;
    this.useEma = config.useEma;
    this.emaMomentum = config.emaMomentum;
    this.emaOverwriteFrequency = config.emaOverwriteFrequency;
    this.gradientAccumulationSteps = config.gradientAccumulationSteps;
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

  /** Optimizer-wide variables after the slots (Nadam's `U_t`); created on first call. */
  protected extraVariables(): Variable[] {
    return [];
  }

  /** Called once per applied update, before the per-variable updates (inside the step's `tidy`). */
  protected beginUpdate(_info: StepInfo): void {}

  /** The learning rate the next update uses: the number, or the schedule at the current step count. */
  get learningRate(): number {
    return this.schedule ? this.scheduledRate(this.step) : this.lr;
  }

  set learningRate(value: number) {
    if (this.schedule) {
      throw new Error(`${this.className}: the learning rate is a ${this.schedule instanceof LearningRateSchedule ? this.schedule.className : 'function'} schedule, so it cannot be set; create the optimizer with a number as learningRate to set it`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new Error(`${this.className}: 'learningRate' must be a finite number >= 0, got ${String(value)}`);
    }
    this.lr = Math.fround(value);
    const lrVar = this.learningRateVariable;
    if (lrVar) tidy(() => lrVar.assign(scalar(this.lr)));
  }

  /** Updates applied so far (Keras's `optimizer.iterations`: calls, divided by `gradientAccumulationSteps` when set). */
  get iterations(): number {
    return this.gradientAccumulationSteps ? Math.floor(this.step / this.gradientAccumulationSteps) : this.step;
  }

  /** The schedule's (or function's) rate at `step`, float32, checked. */
  private scheduledRate(step: number): number {
    const schedule = this.schedule!;
    const rate = schedule instanceof LearningRateSchedule ? schedule.call(step) : schedule(step);
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate < 0) {
      throw new Error(`${this.className}: the learning rate schedule gave ${String(rate)} at step ${step}; it must give a finite number >= 0`);
    }
    return Math.fround(rate);
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
      for (const group of this.allSlotGroups()) {
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
   * `applyGradients(grads, variables)`. Clip, weight decay, update rule, moving averages, as Keras's
   * `apply`; with gradient accumulation, calls that do not complete a group only add to the accumulators.
   */
  applyGradients(pairs: GradientPairs): void;
  applyGradients(grads: readonly Tensor[], variables: readonly Variable[]): void;
  applyGradients(first: GradientPairs | readonly Tensor[], second?: readonly Variable[]): void {
    const [grads, variables] = second === undefined ? this.unzip(first as GradientPairs) : [first as readonly Tensor[], second];
    this.checkGradients(grads, variables);
    if (!grads.length) return;
    this.build(variables);
    const calls = this.step + 1;
    const group = this.gradientAccumulationSteps;
    const info: StepInfo = { learningRate: this.learningRate, step: this.iterations + 1 };
    tidy(() => {
      const slotsOf = (v: Variable): Record<string, Variable> => this.slots.get(v)!;
      const assign = (target: Variable, next: Tensor): void => target.assign(guarded(next, target));
      if (group && calls % group !== 0) {
        variables.forEach((v, i) => assign(slotsOf(v).gradient_accumulator, add(slotsOf(v).gradient_accumulator, grads[i])));
      } else {
        const summed = group ? grads.map((g, i) => div(add(g, slotsOf(variables[i]).gradient_accumulator), group)) : grads;
        this.beginUpdate(info);
        const clipped = this.clipGradients(summed);
        variables.forEach((variable, i) => {
          const slotVars = slotsOf(variable);
          const { value, slots } = this.update(clipped[i], this.decayed(variable, info.learningRate), slotVars, info);
          assign(variable, value);
          for (const [name, next] of Object.entries(slots)) assign(slotVars[name], next);
          if (group) assign(slotVars.gradient_accumulator, zerosLike(variable));
        });
      }
      if (this.useEma) this.updateAverages(variables, assign);
      const { iteration } = this.stateVariables();
      assign(iteration, scalar(calls, 'int32'));
    });
    this.step = calls;
  }

  /**
   * Keras's moving average of the variables, after every call: `average = m·average + (1-m)·variable`
   * with m = `emaMomentum` (0 before the first completed update); every `emaOverwriteFrequency` updates the
   * variables take their averages.
   */
  private updateAverages(variables: readonly Variable[], assign: (target: Variable, next: Tensor) => void): void {
    const updates = this.iterations;
    const m = updates === 0 ? 0 : this.emaMomentum;
    const overwrite = this.emaOverwriteFrequency !== null && (updates + 1) % this.emaOverwriteFrequency === 0;
    for (const v of variables) {
      const average = this.slots.get(v)!.average;
      assign(average, add(mul(average, m), mul(v, 1 - m)));
      if (overwrite) assign(v, average);
    }
  }

  /** Keras's `finalize_variable_values`: with `useEma`, the variables take their moving averages (fit does this at its end). */
  finalizeVariableValues(variables: readonly Variable[]): void {
    if (!this.useEma) return;
    tidy(() => {
      for (const v of variables) {
        const average = this.slots.get(v)?.average;
        if (average) v.assign(average);
      }
    });
  }

  /**
   * Keras's `optimizer.variables`: `[iteration, learning_rate, ...slots]`, the slots in Keras's build
   * order (e.g. Adam: each variable's momentum and velocity, then every velocity_hat; RMSprop: every
   * velocity, then every momentum, then every average_gradient), matching Keras 3's saved `optimizer/vars`
   * when built on the same variables in the same order.
   */
  variables(): Variable[] {
    return [...this.ownStateVariables(), ...this.slotVariables(), ...(this.slots.size ? this.extraVariables() : [])];
  }

  /** `[iteration, learning_rate]`, or `[iteration]` with a schedule (Keras keeps no learning-rate variable then). */
  private ownStateVariables(): Variable[] {
    const { iteration, learningRate } = this.stateVariables();
    return this.schedule ? [iteration] : [iteration, learningRate];
  }

  /** How many variables an optimizer has before it is built: the iteration count and, without a schedule, the learning rate. */
  get unbuiltVariableCount(): number {
    return this.schedule ? 1 : 2;
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
    const own = this.unbuiltVariableCount;
    vars.forEach((v, i) => {
      const w = weights[i];
      if (!isTensor(w)) throw new Error(`${this.className}.setWeights: weight ${i} ('${v.name}') is not a Tensor`);
      const sameShape = w.rank === v.rank && w.shape.every((d, j) => d === v.shape[j]);
      if (!sameShape || (i >= own && w.dtype !== v.dtype)) {
        throw new Error(`${this.className}.setWeights: weight ${i} ('${v.name}') expects shape ${formatShape(v.shape)} ${v.dtype}, got ${formatShape(w.shape)} ${w.dtype}`);
      }
    });
    const [iteration, learningRate] = await Promise.all(weights.slice(0, own).map((w) => w.data()));
    if (!Number.isInteger(iteration[0]) || iteration[0] < 0) throw new Error(`${this.className}.setWeights: the iteration count must be an integer >= 0, got ${iteration[0]}`);
    if (learningRate) this.learningRate = learningRate[0];
    this.step = iteration[0];
    tidy(() => this.stateVariables().iteration.assign(scalar(this.step, 'int32')));
    vars.slice(own).forEach((v, i) => v.assign(weights[i + own]));
  }

  /** Keras's `get_config()` (snake_case keys; a schedule as Keras serializes it; `loss_scale_factor` is not supported). */
  getConfig(): OptimizerConfig {
    return {
      name: this.name,
      learning_rate: this.learningRateConfig(),
      weight_decay: this.weightDecay,
      clipnorm: this.clipnorm,
      global_clipnorm: this.globalClipnorm,
      clipvalue: this.clipvalue,
      use_ema: this.useEma,
      ema_momentum: this.emaMomentum,
      ema_overwrite_frequency: this.emaOverwriteFrequency,
      loss_scale_factor: null,
      gradient_accumulation_steps: this.gradientAccumulationSteps,
      ...this.ownConfig(),
    };
  }

  private learningRateConfig(): number | SerializedSchedule {
    if (!this.schedule) return this.lr;
    if (this.schedule instanceof LearningRateSchedule) return serializeSchedule(this.schedule);
    throw new Error(`${this.className}: a function learning rate cannot be saved in a config; use a LearningRateSchedule (e.g. optimizers.schedules.ExponentialDecay) to save the model`);
  }

  /** Free the optimizer's variables; the optimizer starts afresh if used again. */
  dispose(): void {
    for (const v of [this.iterationVariable, this.learningRateVariable, ...this.slotVariables(), ...(this.slots.size ? this.extraVariables() : [])]) v?.dispose();
    this.slots.clear();
    this.iterationVariable = this.learningRateVariable = undefined;
  }

  /** Every slot, groups one after another, each group's names interleaved per variable (Keras's build order). */
  private slotVariables(): Variable[] {
    const tracked = [...this.slots.values()];
    return this.allSlotGroups().flatMap((group) => tracked.flatMap((s) => group.map((spec) => s[spec.name])));
  }

  /** Keras's base build comes first: per variable its moving average and gradient accumulator; then the optimizer's slots. */
  private allSlotGroups(): readonly (readonly SlotSpec[])[] {
    const base = [...(this.useEma ? [{ name: 'average' }] : []), ...(this.gradientAccumulationSteps ? [{ name: 'gradient_accumulator' }] : [])];
    return base.length ? [base, ...this.slotGroups()] : this.slotGroups();
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
  private decayed(variable: Variable, learningRate: number): Tensor {
    return this.weightDecay ? sub(variable, mul(variable, this.weightDecay * learningRate)) : variable;
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
