import { add, concat, dense, mul, ones, slice, tidy, type Shape, type Tensor } from '@strata/core';
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
    const gate = (k: number, t: Tensor): Tensor => slice(t, [null, { start: k * u, stop: (k + 1) * u }]);
    // the recurrent activation over all four gates at once; the candidate's slice is not used
    const sig = activate(this.recurrentActivation, z);
    const c = add(mul(gate(1, sig), states[1]), mul(gate(0, sig), activate(this.activation, gate(2, z))));
    const h = mul(gate(3, sig), activate(this.activation, c));
    return [h, c];
  }
}
