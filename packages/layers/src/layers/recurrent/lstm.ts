import type { LayerConfig } from '../layer.ts';
import { LSTMCell, type LSTMCellArgs } from './lstm-cell.ts';
import { RNN, type RNNArgs } from './rnn.ts';

export type LSTMArgs = RNNArgs & LSTMCellArgs;

/** Keras's `LSTM` (gates i, f, c, o; `unitForgetBias` true, recurrent activation sigmoid, orthogonal recurrent kernel). */
export class LSTM extends RNN {
  override readonly className = 'LSTM';

  constructor(args: LSTMArgs) {
    super(args, 'LSTM', new LSTMCell({ ...args, name: 'lstm_cell', trainable: args.trainable, inputShape: undefined }));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), unitForgetBias: (this.cell as LSTMCell).unitForgetBias };
  }
}
