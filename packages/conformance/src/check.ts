import { expect } from 'vitest';
import { tensor, tidy, type DType, type Tensor } from '@strata/core';
import { arr, numel, unravel, type Arr } from './reference.ts';

/** |actual - expected| <= atol * max(1, max|expected|) + rtol * |expected|. */
export interface Tol {
  readonly rtol: number;
  readonly atol: number;
}

export const TOL = {
  exact: { rtol: 0, atol: 0 },
  /** Arithmetic, movement, short accumulations in float32. */
  float: { rtol: 1e-5, atol: 1e-6 },
  /** exp/log/sin/…, reductions and matmul (float32 rounding compounds). */
  loose: { rtol: 1e-4, atol: 2e-5 },
} as const satisfies Record<string, Tol>;

/** A tensor holding a reference array's values (float32 unless said). */
export function toTensor(x: Arr, dtype: DType = 'float32'): Tensor {
  return tensor(x.data as number[], x.shape, dtype);
}

export async function toArr(t: Tensor): Promise<Arr> {
  return arr(t.shape, Array.from(await t.data()));
}

function same(a: number, e: number, tol: Tol, scale: number): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  return Math.abs(a - e) <= tol.atol * scale + tol.rtol * Math.abs(e);
}

/** Problems found comparing a tensor's shape, dtype and values with a reference; empty when it matches. */
export function compare(actual: Arr, dtype: DType, expected: Arr, tol: Tol, expectedDtype?: DType): string[] {
  const problems: string[] = [];
  const shapeText = (s: readonly number[]): string => `(${s.join(',')})`;
  if (expectedDtype && dtype !== expectedDtype) problems.push(`dtype ${dtype}, expected ${expectedDtype}`);
  if (shapeText(actual.shape) !== shapeText(expected.shape)) {
    problems.push(`shape ${shapeText(actual.shape)}, expected ${shapeText(expected.shape)}`);
    return problems;
  }
  const scale = Math.max(1, ...expected.data.filter(Number.isFinite).map(Math.abs));
  let bad = 0;
  expected.data.forEach((e, i) => {
    if (same(actual.data[i], e, tol, scale)) return;
    if (bad++ < 3) problems.push(`at [${unravel(i, expected.shape)}]: ${actual.data[i]}, expected ${e}`);
  });
  if (bad > 3) problems.push(`…${bad} of ${numel(expected.shape)} values differ`);
  return problems;
}

/**
 * Batches many comparisons into one test: queue them with `close` (reads start at once), then `await done()`
 * reads everything, disposes the queued tensors, and fails with every mismatch listed by label.
 */
export class Checks {
  private pending: Promise<string[]>[] = [];
  private tensors: Tensor[] = [];

  /**
   * Compare the tensor `make` returns with `expected`. `make` runs inside `tidy` (its temporaries are freed);
   * if it throws, that is recorded as this check's failure and the other checks still run.
   */
  close(label: string, make: () => Tensor, expected: Arr, tol: Tol = TOL.float, dtype?: DType): void {
    let actual: Tensor;
    try {
      actual = tidy(make);
    } catch (err) {
      this.fail(label, `threw ${(err as Error).message}`);
      return;
    }
    this.closeTensor(label, actual, expected, tol, dtype);
  }

  /** Compare an existing tensor (disposed by `done`). */
  closeTensor(label: string, actual: Tensor, expected: Arr, tol: Tol = TOL.float, dtype?: DType): void {
    this.tensors.push(actual);
    this.pending.push(
      toArr(actual).then(
        (a) => compare(a, actual.dtype, expected, tol, dtype).map((p) => `${label}: ${p}`),
        (err: Error) => [`${label}: read failed: ${err.message}`],
      ),
    );
  }

  /** Record a failure found without reading a tensor. */
  fail(label: string, problem: string): void {
    this.pending.push(Promise.resolve([`${label}: ${problem}`]));
  }

  async done(): Promise<void> {
    const problems = (await Promise.all(this.pending)).flat();
    for (const t of this.tensors) t.dispose();
    this.pending = [];
    this.tensors = [];
    expect(problems).toEqual([]);
  }
}
