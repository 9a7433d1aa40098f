import { formatShape, mul, sum, tidy, type Tensor } from '@strata/core';
import type { Dataset } from './data.ts';

/**
 * Throws, naming the first NaN or ±Infinity of `x` by row and flat index. One reduction on the device
 * (0·x is NaN exactly where x is not finite) and one scalar read; `x` itself is read only when it is bad.
 * `fit`/`evaluate` run it with `checkFinite: true`; call it before `predict` (which, as in Keras, turns a
 * NaN input into NaN outputs).
 */
export async function assertFinite(x: Tensor, what = 'x', where = 'assertFinite'): Promise<void> {
  if (x.dtype !== 'float32' || x.size === 0) return;
  const probe = tidy(() => sum(mul(x, 0)));
  const [total] = await probe.data();
  probe.dispose();
  if (Number.isFinite(total)) return;
  const values = await x.data();
  const i = values.findIndex((v) => !Number.isFinite(v));
  const row = Math.floor(i / (x.size / x.shape[0]));
  throw new Error(`${where}: ${what} contains ${values[i]} at row ${row} (flat index ${i}, shape ${formatShape(x.shape)}); inputs must be finite numbers`);
}

/** `assertFinite` over every input of a dataset, named as the model's inputs. */
export async function assertFiniteInputs(data: Dataset, inputNames: readonly string[], where: string): Promise<void> {
  for (const [i, x] of data.x.entries()) await assertFinite(x, data.x.length > 1 ? `x.${inputNames[i]}` : 'x', where);
}
