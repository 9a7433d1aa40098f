import { DeviceLostError, setBackend, tensor, type TypedArray } from '@strata/core';
import type { TrainableModel } from '../graph/model-api.ts';
import type { Compiled } from './compile.ts';

/**
 * Surviving a lost GPU device during `fit`. The weights are copied to host memory before the first epoch
 * and after each completed one (one read per weight per epoch, at the epoch-end sync point fit already
 * has; skipped on the CPU backend, whose memory cannot be lost). When the device is lost, training stops,
 * the model's variables are re-created from the last copy on the CPU backend, which becomes the active
 * one, and the optimizer's state (lost with the device) is reset. `getWeights()` then reads the last good
 * weights, and training can go on (on the CPU, or from a checkpoint).
 */
export class WeightSnapshot {
  private values: TypedArray[] | undefined;
  /** Epochs completed when the copy was taken (0: the weights fit started with). */
  private epochs = 0;

  async take(model: TrainableModel, epochsDone: number): Promise<void> {
    const vars = model.weights;
    if (vars.every((v) => v.backend.readSync)) return;
    this.values = await Promise.all(vars.map((v) => v.data()));
    this.epochs = epochsDone;
  }

  /** Put the copy back on the CPU and explain what happened, naming the epoch (1-based) and step. */
  async restore(model: TrainableModel, compiled: Compiled, lost: DeviceLostError, epoch: number, step: number, steps: number): Promise<Error> {
    const where = `fit: training stopped in epoch ${epoch + 1}, at or before step ${step}/${steps}: ${lost.message}`;
    const values = this.values;
    if (!values) return new Error(`${where}. No copy of the weights was taken before the loss.`, { cause: lost });
    await setBackend('cpu');
    model.weights.forEach((v, i) => v.assign(tensor(values[i], v.shape, v.dtype)));
    compiled.optimizer.dispose();
    const which = this.epochs === 0 ? 'the weights fit started with' : `those at the end of epoch ${this.epochs}`;
    return new Error(
      `${where}. The model's weights were restored to ${which} on the cpu backend, now the active backend; ` +
        `the optimizer's state was reset. Continue with fit() on the cpu, or reload a checkpoint.`,
      { cause: lost },
    );
  }
}
