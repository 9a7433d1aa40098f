import { concat, dense, type Tensor } from '@strata/core';
import { activate } from '../../activations.ts';
import { RNNCell, type CellArgs, type StepWeights } from './cell.ts';

/** Keras's `SimpleRNNCell`: h = activation(x·kernel + h·recurrent_kernel + bias). */
export class SimpleRNNCell extends RNNCell {
  override readonly className = 'SimpleRNNCell';
  readonly gates = 1;
  readonly stateCount = 1;

  constructor(args: CellArgs) {
    super(args, 'SimpleRNNCell');
  }

  prepare(): StepWeights {
    return this.joinedKernels();
  }

  step(x: Tensor, _states: readonly Tensor[], w: StepWeights, hMasked: Tensor): Tensor[] {
    return [activate(this.activation, dense(concat([x, hMasked], 1), w.joined, w.bias))];
  }
}
