import { dispose, type Tensor } from '@strata/core';
import { Callback, type Logs } from './callback.ts';
import { isImprovement, missingMonitorWarning, monitorDirection, type MonitorMode } from './monitor.ts';

export interface EarlyStoppingArgs {
  monitor?: string;
  minDelta?: number;
  patience?: number;
  mode?: MonitorMode;
  /** When stopping, put back the weights of the best epoch seen. */
  restoreBestWeights?: boolean;
  verbose?: 0 | 1;
  log?: (line: string) => void;
}

/**
 * Stops training once `monitor` has not improved by more than `minDelta` for `patience` epochs (Keras's
 * rule: the wait counts every epoch since the last improvement). Best weights are kept as zero-copy
 * snapshots: a variable's update replaces its storage, so a view taken earlier keeps the old values.
 */
export class EarlyStopping extends Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly direction: 'min' | 'max';
  readonly restoreBestWeights: boolean;
  private readonly verbose: 0 | 1;
  private readonly log: (line: string) => void;
  wait = 0;
  stoppedEpoch = 0;
  best = Infinity;
  bestEpoch = 0;
  private bestWeights?: Tensor[];

  constructor(args: EarlyStoppingArgs = {}) {
    super();
    this.monitor = args.monitor ?? 'val_loss';
    this.minDelta = Math.abs(args.minDelta ?? 0);
    this.patience = args.patience ?? 0;
    this.direction = monitorDirection(this.monitor, args.mode ?? 'auto');
    this.restoreBestWeights = args.restoreBestWeights ?? false;
    this.verbose = args.verbose ?? 0;
    this.log = args.log ?? console.log;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.best = this.direction === 'min' ? Infinity : -Infinity;
    this.bestEpoch = 0;
    this.dropBestWeights();
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const current = logs[this.monitor];
    if (current === undefined) {
      console.warn(missingMonitorWarning('EarlyStopping', this.monitor, Object.keys(logs)));
      return;
    }
    this.wait++;
    if (isImprovement(this.direction, current, this.best, this.minDelta)) {
      this.best = current;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights) {
        this.dropBestWeights();
        this.bestWeights = this.model.getWeights();
      }
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
      if (this.restoreBestWeights && this.bestWeights) {
        if (this.verbose) this.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
        this.model.setWeights(this.bestWeights);
      }
    }
  }

  onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose) this.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    this.dropBestWeights();
  }

  private dropBestWeights(): void {
    dispose(this.bestWeights);
    this.bestWeights = undefined;
  }
}
