import { Callback, type Logs } from './callback.ts';

/** Receives the epoch (0-based) and the current learning rate; returns the epoch's learning rate. */
export type EpochSchedule = (epoch: number, learningRate: number) => number;

export interface LearningRateSchedulerArgs {
  verbose?: 0 | 1;
  log?: (line: string) => void;
}

/**
 * Keras's `LearningRateScheduler`: at the start of each epoch, the optimizer's learning rate becomes
 * `schedule(epoch, learningRate)`; the epoch's logs get `learning_rate`. The optimizer must have a
 * number as its learning rate (not a `LearningRateSchedule`, which cannot be set).
 */
export class LearningRateScheduler extends Callback {
  private readonly verbose: 0 | 1;
  private readonly log: (line: string) => void;

  constructor(readonly schedule: EpochSchedule, args: LearningRateSchedulerArgs = {}) {
    super();
    if (typeof schedule !== 'function') throw new Error(`LearningRateScheduler: schedule must be a function (epoch, learningRate) => number, got ${typeof schedule}`);
    this.verbose = args.verbose ?? 0;
    this.log = args.log ?? console.log;
  }

  onEpochBegin(epoch: number): void {
    const optimizer = this.model.optimizer;
    const rate = this.schedule(epoch, optimizer.learningRate);
    if (typeof rate !== 'number' || !Number.isFinite(rate)) throw new Error(`LearningRateScheduler: the schedule returned ${String(rate)} for epoch ${epoch}; it must return a finite number`);
    optimizer.learningRate = rate;
    if (this.verbose) this.log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${rate}.`);
  }

  onEpochEnd(_epoch: number, logs: Logs): void {
    logs.learning_rate = this.model.optimizer.learningRate;
  }
}
