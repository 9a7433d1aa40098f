import { Variable, add, cast, dispose, equal, keep, logicalAnd, logicalNot, mul, notEqual, reshape, scalar, stack, sum, tidy, where, type Tensor } from '@strata/core';

/** The guarded step running now: its verdict so far and each assigned variable's value before the step. */
interface RunningStep {
  readonly verdict: Tensor;
  readonly before: Map<Variable, Tensor>;
}

let running: RunningStep | undefined;

/**
 * Every optimizer and state assignment goes through here: `target.assign(guarded(next, target))`. Inside a
 * guarded step the target's value before the step is kept, so that `StepGuard.end` can put it back;
 * elsewhere this is just `next`.
 */
export function guarded(next: Tensor, target: Variable): Tensor {
  if (running && !running.before.has(target)) running.before.set(target, keep(reshape(target, target.shape)));
  return next;
}

/**
 * Whether every tensor of `ts` is finite: one sum per tensor (NaN or ±Infinity in, NaN or ±Infinity out),
 * their total times 0 is 0 or NaN; `notEqual` is NaN-aware on every backend. A sum that overflows float32
 * counts as not finite too (values around 1e33 and up in a 400,000-element weight): one kernel per tensor
 * instead of two for an exact test.
 */
function allFinite(ts: readonly Tensor[]): Tensor {
  return logicalNot(notEqual(mul(sum(stack(ts.map((t) => sum(t)))), 0), 0));
}

/**
 * Keeps a non-finite step from touching the model, with no read-back per step. Everything runs on the
 * device: a step passes when its loss, its gradients and every value it assigned (weights, optimizer
 * slots, moving statistics) are finite and every earlier step passed; otherwise each variable it assigned
 * gets its value from before the step back (one `where` each), so after a bad step nothing moves until
 * the host notices. The device counts the steps that passed; `firstBadStep()` reads that count (one
 * scalar, at fit's periodic read-backs) and compares it with the steps run.
 */
export class StepGuard {
  private readonly passed = tidy(() => new Variable(scalar(0, 'int32'), 'guard_passed_steps', false));
  private steps = 0;

  /** Start judging a step from its loss and gradients; its assignments until `end()` are guarded. */
  check(loss: Tensor, grads: readonly Tensor[]): void {
    if (running) throw new Error('StepGuard: a guarded step is already running');
    const verdict = tidy(() => keep(logicalAnd(equal(this.passed, this.steps), allFinite([loss, ...grads]))));
    running = { verdict, before: new Map() };
    this.steps++;
  }

  /** Finish the step (call in a `finally`): count it if it passed, else put back what it assigned. */
  end(): void {
    const step = running;
    running = undefined;
    if (!step) return;
    try {
      tidy(() => {
        const assigned = [...step.before.keys()].filter((v) => v.dtype === 'float32');
        const ok = assigned.length ? logicalAnd(step.verdict, allFinite(assigned)) : step.verdict;
        for (const [target, before] of step.before) target.assign(where(ok, target, before));
        this.passed.assign(add(this.passed, cast(ok, 'int32')));
      });
    } finally {
      dispose([step.verdict, ...step.before.values()]);
    }
  }

  /** The 1-based index of the first step that failed, or undefined when all steps run so far passed. */
  async firstBadStep(): Promise<number | undefined> {
    const steps = this.steps;
    const view = reshape(this.passed, []); // keeps this count's storage alive while later steps replace it
    try {
      const [passed] = await view.data();
      return passed < steps ? passed + 1 : undefined;
    } finally {
      view.dispose();
    }
  }

  dispose(): void {
    this.passed.dispose();
  }
}
