import { Variable, add, cast, equal, keep, logicalAnd, logicalNot, mul, notEqual, reshape, scalar, stack, sum, tidy, where, type Tensor } from '@strata/core';

/** This step's verdict while its updates run (a bool scalar), set by `StepGuard.check`. */
let verdict: Tensor | undefined;

/**
 * `next` where the running step passed its guard, else `current`: every optimizer and state assignment of a
 * guarded step goes through here, so a non-finite step changes nothing. Outside a guarded step, `next`.
 */
export function guarded(next: Tensor, current: Tensor): Tensor {
  return verdict ? where(verdict, next, current) : next;
}

/**
 * Keeps a non-finite step from touching the model, with no read-back per step. The check runs on the
 * device: `sum(t·0)` is 0 for a finite tensor and NaN otherwise, one probe per gradient and one for the
 * loss; a step passes when every probe is 0 and every earlier step passed (so after a bad step nothing
 * moves until the host notices). The device counts the steps that passed; `firstBadStep()` reads that count
 * (one scalar, at fit's periodic read-backs) and compares it with the steps run.
 */
export class StepGuard {
  private readonly passed = tidy(() => new Variable(scalar(0, 'int32'), 'guard_passed_steps', false));
  private steps = 0;

  /** Judge a step from its loss and gradients; the assignments until `end()` are guarded by the verdict. */
  check(loss: Tensor, grads: readonly Tensor[]): void {
    if (verdict) throw new Error('StepGuard: a guarded step is already running');
    verdict = tidy(() => {
      const probes = stack([loss, ...grads].map((t) => sum(mul(t, 0))));
      const finite = logicalNot(notEqual(sum(probes), 0)); // notEqual is NaN-aware on every backend
      const ok = keep(logicalAnd(equal(this.passed, this.steps), finite));
      this.passed.assign(add(this.passed, cast(ok, 'int32')));
      return ok;
    });
    this.steps++;
  }

  /** Close the running step (call in a `finally`). */
  end(): void {
    verdict?.dispose();
    verdict = undefined;
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
