import { add, concat, dense, gruCell, matmul, mul, slice, sub, sum, zeros, type Tensor } from '@strata/core';
import { activate } from '../../activations.ts';
import type { Initializer } from '../../initializers.ts';
import { RNNCell, flag, type CellArgs, type StepWeights } from './cell.ts';

export interface GRUCellArgs extends CellArgs {
  /** Apply the reset gate after the recurrent matmul (Keras 3's default, true): bias (2, 3·units). */
  resetAfter?: boolean;
}

interface GRUWeights extends StepWeights {
  /** reset_after false: the candidate's own kernels, (features, units) and (units, units), and bias. */
  readonly candidate?: { kernel: Tensor; recurrent: Tensor; bias?: Tensor };
}

/**
 * Keras's `GRUCell`, gates z, r, h. With `resetAfter` one matmul serves a step: [x, h] times
 * [[Wz Wr Wh 0], [Uz Ur 0 Uh]] gives z and r's pre-activations and the candidate's input and recurrent
 * parts apart, so hh = act(xh + r·(h·Uh + bh)). Without it the candidate needs r first (a second matmul).
 * h = z·h + (1 - z)·hh.
 */
export class GRUCell extends RNNCell<GRUWeights> {
  override readonly className = 'GRUCell';
  readonly gates = 3;
  readonly stateCount = 1;
  readonly resetAfter: boolean;

  constructor(args: GRUCellArgs) {
    super(args, 'GRUCell');
    this.resetAfter = flag(args.resetAfter, true, 'resetAfter', 'GRUCell');
  }

  protected override biasSpec(): { shape: number[]; initializer: Initializer } {
    const spec = super.biasSpec();
    return this.resetAfter ? { ...spec, shape: [2, 3 * this.units] } : spec;
  }

  prepare(): GRUWeights {
    const u = this.units;
    const { kernel, recurrentKernel } = this.weightsOrThrow();
    const cols = (t: Tensor, start: number, stop: number): Tensor => slice(t, [null, { start, stop }]);
    if (this.resetAfter) {
      const features = kernel.shape[0];
      const joined = concat([
        concat([cols(kernel, 0, 3 * u), zeros([features, u])], 1),
        concat([cols(recurrentKernel, 0, 2 * u), zeros([u, u]), cols(recurrentKernel, 2 * u, 3 * u)], 1),
      ], 0);
      const bias = this.bias && concat([
        sum(cols(this.bias, 0, 2 * u), 0),
        slice(this.bias, [0, { start: 2 * u, stop: 3 * u }]),
        slice(this.bias, [1, { start: 2 * u, stop: 3 * u }]),
      ], 0);
      return { joined, bias };
    }
    const joined = concat([cols(kernel, 0, 2 * u), cols(recurrentKernel, 0, 2 * u)], 0);
    const bias = this.bias && slice(this.bias, [{ start: 0, stop: 2 * u }]);
    const candidateBias = this.bias && slice(this.bias, [{ start: 2 * u, stop: 3 * u }]);
    return { joined, bias, candidate: { kernel: cols(kernel, 2 * u, 3 * u), recurrent: cols(recurrentKernel, 2 * u, 3 * u), bias: candidateBias } };
  }

  step(x: Tensor, states: readonly Tensor[], w: GRUWeights, hMasked: Tensor): Tensor[] {
    const u = this.units;
    const h = states[0];
    const m = dense(concat([x, hMasked], 1), w.joined, w.bias);
    // Keras 3's defaults: the update as one op with its own gradient (core's gruCell)
    if (!w.candidate && this.activation === 'tanh' && this.recurrentActivation === 'sigmoid') return [gruCell(m, h)];
    const part = (t: Tensor, k: number): Tensor => slice(t, [null, { start: k * u, stop: (k + 1) * u }]);
    const zr = activate(this.recurrentActivation, w.candidate ? m : slice(m, [null, { start: 0, stop: 2 * u }]));
    const [z, r] = [part(zr, 0), part(zr, 1)];
    const hh = w.candidate
      ? activate(this.activation, add(dense(x, w.candidate.kernel, w.candidate.bias), matmul(mul(r, hMasked), w.candidate.recurrent)))
      : activate(this.activation, add(part(m, 2), mul(r, part(m, 3))));
    return [add(hh, mul(z, sub(h, hh)))];
  }
}
