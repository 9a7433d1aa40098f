import { Callback, type Logs } from './callback.ts';

/** Records each epoch's logs; `fit` returns it (Keras's `History`); `params` holds epochs, steps, verbose. */
export class History extends Callback {
  /** Per-metric lists, one entry per epoch: `history.history.loss`, `.accuracy`, `.val_loss`, … */
  history: Record<string, number[]> = {};
  /** The epoch indices recorded (0-based, offset by `initialEpoch`). */
  epoch: number[] = [];

  onTrainBegin(): void {
    this.history = {};
    this.epoch = [];
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    this.epoch.push(epoch);
    for (const [name, value] of Object.entries(logs)) (this.history[name] ??= []).push(value);
  }
}
