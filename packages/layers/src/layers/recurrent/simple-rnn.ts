import type { LayerConfig } from '../layer.ts';
import { RNN, type RNNArgs } from './rnn.ts';
import { SimpleRNNCell } from './simple-rnn-cell.ts';

export type SimpleRNNArgs = Omit<RNNArgs, 'recurrentActivation'>;

/** Keras's `SimpleRNN`: a fully connected recurrence, h = activation(x·W + h·U + b) (tanh by default). */
export class SimpleRNN extends RNN {
  override readonly className = 'SimpleRNN';

  constructor(args: SimpleRNNArgs) {
    super(args, 'SimpleRNN', new SimpleRNNCell({ ...args, name: 'simple_rnn_cell', trainable: args.trainable, inputShape: undefined }));
  }

  override getConfig(): LayerConfig {
    const { recurrentActivation: _none, ...config } = super.getConfig();
    return config;
  }
}
