import { Progbar } from '../training/progress.ts';
import { Callback, type Logs } from './callback.ts';

/**
 * Keras's `ProgbarLogger`: the progress bar as a callback (fit draws its own when `verbose` > 0; this one
 * is for `verbose: 0` with a bar anyway, or a bar sent to `log`). Uses `params.verbose`, 1 when fit's is 0.
 */
export class ProgbarLogger extends Callback {
  private bar?: Progbar;
  private readonly log?: (line: string) => void;

  constructor(args: { log?: (line: string) => void } = {}) {
    super();
    this.log = args.log;
  }

  onEpochBegin(epoch: number): void {
    this.bar = new Progbar(this.params.steps, this.params.verbose || 1, this.log);
    if (this.params.epochs > 1) this.bar.message(`Epoch ${epoch + 1}/${this.params.epochs}`);
  }

  onBatchEnd(batch: number, logs: Logs): void {
    const { batch: _b, size: _s, ...values } = logs;
    this.bar?.update(batch + 1, values);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    this.bar?.update(this.params.steps, logs, true);
  }
}
