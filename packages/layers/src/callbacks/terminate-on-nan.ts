import { Callback, type Logs } from './callback.ts';

/**
 * Keras's `TerminateOnNaN`: when a batch's (or an epoch's) `loss` is NaN or infinite, training stops
 * after that batch, with no error, and `fit` returns the history so far. `fit` sees the callback
 * (`stopsOnNonFiniteLoss`) and stops instead of throwing its own non-finite-loss error. Batch losses are
 * the periodic asynchronous read-backs, so the stop comes at the first read after the loss went bad.
 */
export class TerminateOnNaN extends Callback {
  readonly stopsOnNonFiniteLoss = true;
  private readonly log: (line: string) => void;

  constructor(args: { log?: (line: string) => void } = {}) {
    super();
    this.log = args.log ?? console.log;
  }

  onBatchEnd(batch: number, logs: Logs): void {
    this.check(logs, `Batch ${batch}`);
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.check(logs, `Epoch ${epoch + 1}`);
  }

  private check(logs: Logs, where: string): void {
    if (logs.loss === undefined || Number.isFinite(logs.loss)) return;
    this.log(`${where}: Invalid loss, terminating training`);
    this.model.stopTraining = true;
  }
}
