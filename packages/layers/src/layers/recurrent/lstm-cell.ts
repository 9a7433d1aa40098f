import { add, concat, dense, lstmCell, mul, ones, slice, tidy, type Shape, type Tensor } from '@strata/core';
import { activate } from '../../activations.ts';
import type { Initializer } from '../../initializers.ts';
import { RNNCell, flag, type CellArgs, type StepWeights } from './cell.ts';

export interface LSTMCellArgs extends CellArgs {
  /** Start the forget gate's bias at 1 (Keras's default), the rest from `biasInitializer`. */
  unitForgetBias?: boolean;
}

/** Keras's `unit_forget_bias`: [init(units), ones(units), init(2·units)]. */
class ForgetBias implements Initializer {
  readonly className: string;
  constructor(private readonly inner: Initializer, private readonly units: number) {
    this.className = inner.className;
  }
  init(_shape: Shape): Tensor {
    return tidy(() => concat([this.inner.init([this.units]), ones([this.units]), this.inner.init([2 * this.units])], 0));
  }
  getConfig(): Record<string, number | string | null> {
    return this.inner.getConfig();
  }
}

/**
 * Keras's `LSTMCell`, gates i, f, c, o along the kernels' last axis: one matmul of [x, h] by the joined
 * kernels gives every gate's pre-activation; c = f·c + i·act(ĉ), h = o·act(c).
 */
export class LSTMCell extends RNNCell {
  override readonly className = 'LSTMCell';
  readonly gates = 4;
  readonly stateCount = 2;
  readonly unitForgetBias: boolean;

  constructor(args: LSTMCellArgs) {
    super(args, 'LSTMCell');
    this.unitForgetBias = flag(args.unitForgetBias, true, 'unitForgetBias', 'LSTMCell');
  }

  protected override biasSpec(): { shape: number[]; initializer: Initializer } {
    const spec = super.biasSpec();
    return this.unitForgetBias ? { ...spec, initializer: new ForgetBias(this.biasInitializer, this.units) } : spec;
  }

  prepare(): StepWeights {
    return this.joinedKernels();
  }

  step(x: Tensor, states: readonly Tensor[], w: StepWeights, hMasked: Tensor): Tensor[] {
    const u = this.units;
    const z = dense(concat([x, hMasked], 1), w.joined, w.bias);
    const part = (t: Tensor, k: number): Tensor => slice(t, [null, { start: k * u, stop: (k + 1) * u }]);
    if (this.activation === 'tanh' && this.recurrentActivation === 'sigmoid') {
      // Keras's defaults: the cell update as one op with its own gradient (core's lstmCell)
      const hc = lstmCell(z, states[1]);
      return [part(hc, 0), part(hc, 1)];
    }
    // the recurrent activation over all four gates at once; the candidate's slice is not used
    const sig = activate(this.recurrentActivation, z);
    const c = add(mul(part(sig, 1), states[1]), mul(part(sig, 0), activate(this.activation, part(z, 2))));
    const h = mul(part(sig, 3), activate(this.activation, c));
    return [h, c];
  }
}
