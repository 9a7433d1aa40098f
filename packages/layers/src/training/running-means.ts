import { add, concat, keep, reshape, stack, tidy, type Tensor } from '@strata/core';
import type { Metric } from '../metrics/metric.ts';

/**
 * The logs of an epoch or an evaluation, kept on the device: the losses' per-sample means, accumulated
 * as one vector of sums (each batch adds its sums without a read), and the compiled metrics' own state
 * (reset here, updated by the steps). `read()` joins the sums and every metric's `result()` into one
 * new vector and fetches it asynchronously (one transfer), so later batches may go on meanwhile.
 */
export class RunningMeans {
  private sums?: Tensor;
  private count = 0;

  /** `names`: the losses' names, then one per metric, in `metrics` order. */
  constructor(readonly names: readonly string[], private readonly metrics: readonly Metric[] = []) {
    for (const m of metrics) m.resetState();
  }

  /** Fold in one batch's loss sums (scalars, in `names` order) over `size` samples. Call inside a `tidy`. */
  update(batchSums: readonly Tensor[], size: number): void {
    const previous = this.sums;
    const batch = stack(batchSums);
    this.sums = keep(previous ? add(previous, batch) : batch);
    this.count += size;
    previous?.dispose();
  }

  /** The losses' means and the metrics' results so far, by name ({} before the first batch). */
  async read(): Promise<Record<string, number>> {
    const sums = this.sums;
    if (!sums) return {};
    const count = this.count;
    const losses = this.names.length - this.metrics.length;
    const vector = tidy(() => concat([sums, ...this.metrics.map((m) => reshape(m.result(), [1]))]));
    try {
      const values = await vector.data();
      return Object.fromEntries(this.names.map((name, i) => [name, i < losses ? values[i] / count : values[i]]));
    } finally {
      vector.dispose();
    }
  }

  dispose(): void {
    this.sums?.dispose();
    this.sums = undefined;
    this.count = 0;
  }
}
