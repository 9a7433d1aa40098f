import type { TrainableModel } from '../graph/model-api.ts';

/** Named numbers reported to callbacks: `loss`, `accuracy`, `val_loss`, … */
export type Logs = Record<string, number>;

export interface TrainingParams {
  epochs: number;
  steps: number;
  verbose: 0 | 1 | 2;
}

type Hook<A extends unknown[]> = (...args: A) => void | Promise<void>;

/**
 * The callback hooks. Any object with some of them works as a callback; subclass `Callback` for access
 * to the model and the training parameters.
 *
 * Batch logs: `fit` never stalls the device to read one batch's numbers. `onBatchEnd` logs always carry
 * `batch` and `size`; the running epoch means (`loss`, metrics) appear only once the asynchronous
 * read-back that feeds the progress bar (about every 100 ms) has delivered them, and they describe the
 * epoch up to the batch at which that read was issued. Epoch logs are always complete.
 */
export interface CallbackHooks {
  setModel?(model: TrainableModel): void;
  setParams?(params: TrainingParams): void;
  onTrainBegin?: Hook<[logs: Logs]>;
  onTrainEnd?: Hook<[logs: Logs]>;
  onEpochBegin?: Hook<[epoch: number, logs: Logs]>;
  onEpochEnd?: Hook<[epoch: number, logs: Logs]>;
  onBatchBegin?: Hook<[batch: number, logs: Logs]>;
  onBatchEnd?: Hook<[batch: number, logs: Logs]>;
  /** Set by `onTrainBegin` to make `fit` start at this epoch (BackupAndRestore after a restore). */
  readonly resumeEpoch?: number;
  /** `fit` stops quietly instead of throwing when the loss is not finite (TerminateOnNaN). */
  readonly stopsOnNonFiniteLoss?: boolean;
}

/** Base class for callbacks that need the model (`this.model`) or `this.params`. */
export class Callback implements CallbackHooks {
  protected modelRef?: TrainableModel;
  params: TrainingParams = { epochs: 0, steps: 0, verbose: 0 };

  setModel(model: TrainableModel): void {
    this.modelRef = model;
  }
  setParams(params: TrainingParams): void {
    this.params = params;
  }
  get model(): TrainableModel {
    if (!this.modelRef) throw new Error(`${this.constructor.name}: not attached to a model (pass it to fit's callbacks)`);
    return this.modelRef;
  }
}

/** Runs every callback's hook in order, awaiting each. */
export class CallbackList {
  constructor(private readonly callbacks: readonly CallbackHooks[], model: TrainableModel, params: TrainingParams) {
    for (const c of callbacks) {
      c.setModel?.(model);
      c.setParams?.(params);
    }
  }

  /** Batch hooks cost an await per batch, so `fit` skips them when no callback has one. */
  hasBatchHooks(): boolean {
    return this.callbacks.some((c) => c.onBatchBegin || c.onBatchEnd);
  }

  /** The epoch a callback asked `fit` to resume at during `onTrainBegin` (the last one that did), if any. */
  resumeEpoch(): number | undefined {
    return this.callbacks.reduce<number | undefined>((at, c) => c.resumeEpoch ?? at, undefined);
  }

  stopsOnNonFiniteLoss(): boolean {
    return this.callbacks.some((c) => c.stopsOnNonFiniteLoss);
  }

  async trainBegin(logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onTrainBegin?.(logs);
  }
  async trainEnd(logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onTrainEnd?.(logs);
  }
  async epochBegin(epoch: number, logs: Logs = {}): Promise<void> {
    for (const c of this.callbacks) await c.onEpochBegin?.(epoch, logs);
  }
  async epochEnd(epoch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onEpochEnd?.(epoch, logs);
  }
  async batchBegin(batch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onBatchBegin?.(batch, logs);
  }
  async batchEnd(batch: number, logs: Logs): Promise<void> {
    for (const c of this.callbacks) await c.onBatchEnd?.(batch, logs);
  }
}
