import type { LayerConfig } from '../layer.ts';
import { GRUCell, type GRUCellArgs } from './gru-cell.ts';
import { RNN, type RNNArgs } from './rnn.ts';

export type GRUArgs = RNNArgs & GRUCellArgs;

/** Keras's `GRU` (gates z, r, h; Keras 3's `resetAfter: true` default, bias (2, 3·units)). */
export class GRU extends RNN {
  override readonly className = 'GRU';

  constructor(args: GRUArgs) {
    super(args, 'GRU', new GRUCell({ ...args, name: 'gru_cell', trainable: args.trainable, inputShape: undefined }));
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), resetAfter: (this.cell as GRUCell).resetAfter };
  }
}
