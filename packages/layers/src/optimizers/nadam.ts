import { Variable, fuse, scalar, tidy, type Tensor } from '@strata/core';
import type { z } from 'zod';
import { parseOptions } from '../training/options.ts';
import { guarded } from '../training/step-guard.ts';
import { Optimizer, baseOptions, belowOne, nonNegative, type OptimizerConfig, type SlotSpec, type Slots, type StepInfo, type Update } from './optimizer.ts';

const nadamOptions = baseOptions.extend({
  learningRate: baseOptions.shape.learningRate.default(0.001),
  beta1: belowOne(0.9),
  beta2: belowOne(0.999),
  epsilon: nonNegative(1e-7),
});

export type NadamOptions = z.input<typeof nadamOptions>;

const f = Math.fround;

/**
 * Keras's `Nadam` (Adam with Nesterov momentum, Dozat 2016). With `u_t = beta1·(1 - ½·0.96^t)` and
 * `U_t = u_1·…·u_t`: `m̂ = u_{t+1}·m/(1 - U_t·u_{t+1}) + (1 - u_t)·g/(1 - U_t)`, `v̂ = v/(1 - beta2^t)`,
 * `w -= lr·m̂/(sqrt(v̂) + epsilon)`. The product `U_t` depends on the step count only, so it is computed
 * on the host (float32, as Keras); it is also kept in Keras's extra scalar optimizer variable (named
 * `variable`, the last of `variables()`), so saved files match Keras's.
 */
export class Nadam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private uProductVariable?: Variable;
  /** `U_t` for `uProductStep`, so each step extends the product by one factor. */
  private uProduct = 1;
  private uProductStep = 0;

  constructor(options: NadamOptions = {}) {
    const o = parseOptions(nadamOptions, options, 'Nadam');
    super({ className: 'Nadam', prefix: 'nadam' }, o);
    this.beta1 = o.beta1;
    this.beta2 = o.beta2;
    this.epsilon = o.epsilon;
  }

  protected slotGroups(): SlotSpec[][] {
    return [[{ name: 'momentum' }, { name: 'velocity' }]];
  }

  protected override extraVariables(): Variable[] {
    this.uProductVariable ??= tidy(() => new Variable(scalar(1), 'variable', false));
    return [this.uProductVariable];
  }

  override dispose(): void {
    super.dispose();
    this.uProductVariable = undefined;
  }

  /** `beta1·(1 - ½·0.96^t)` in float32. */
  private momentumFactor(t: number): number {
    return f(f(this.beta1) * f(1 - f(0.5 * f(f(0.96) ** t))));
  }

  /** `U_t`, from the cached product when t follows it. */
  private productAt(t: number): number {
    if (t < this.uProductStep) [this.uProduct, this.uProductStep] = [1, 0];
    while (this.uProductStep < t) this.uProduct = f(f(this.uProduct * f(this.beta1)) * f(1 - f(0.5 * f(f(0.96) ** ++this.uProductStep))));
    return this.uProduct;
  }

  protected override beginUpdate({ step }: StepInfo): void {
    const [product] = this.extraVariables();
    product.assign(guarded(scalar(this.productAt(step)), product)); // a step fit's guard rejects leaves it too
  }

  protected update(grad: Tensor, value: Tensor, slots: Slots, { learningRate, step }: StepInfo): Update {
    const { beta1, beta2, epsilon } = this;
    const ut = this.momentumFactor(step);
    const ut1 = this.momentumFactor(step + 1);
    const product = this.productAt(step);
    const product1 = f(product * ut1);
    const beta2Power = f(f(beta2) ** step);
    const momentum = fuse([slots.momentum, grad], (m, g) => m.add(g.sub(m).mul(1 - beta1)));
    const velocity = fuse([slots.velocity, grad], (v, g) => v.add(g.square().sub(v).mul(1 - beta2)));
    const next = fuse([value, momentum, velocity, grad], (w, m, v, g) => {
      const mHat = m.mul(ut1).div(f(1 - product1)).add(g.mul(f(1 - ut)).div(f(1 - product)));
      return w.sub(mHat.mul(learningRate).div(v.div(f(1 - beta2Power)).sqrt().add(epsilon)));
    });
    return { value: next, slots: { momentum, velocity } };
  }

  protected ownConfig(): OptimizerConfig {
    return { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}
