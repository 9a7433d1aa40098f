import { add, keep, stack, type Tensor } from '@strata/core';

/**
 * Per-sample means of the loss and metrics, accumulated on the device as one vector of sums: each batch
 * adds its sums without a read. `read()` fetches that vector asynchronously (one transfer); a vector
 * being read stays alive until the read completes even if later batches have replaced it.
 */
export class RunningMeans {
  private sums?: Tensor;
  private count = 0;
  private readonly inFlight = new Set<Tensor>();
  private readonly retired = new Set<Tensor>();

  constructor(readonly names: readonly string[]) {}

  /** Fold in one batch's sums (scalars, in `names` order) over `size` samples. Call inside a `tidy`. */
  update(batchSums: readonly Tensor[], size: number): void {
    const previous = this.sums;
    const batch = stack(batchSums);
    this.sums = keep(previous ? add(previous, batch) : batch);
    this.count += size;
    if (previous) this.retire(previous);
  }

  /** The means so far, by name ({} before the first batch). */
  async read(): Promise<Record<string, number>> {
    const sums = this.sums;
    if (!sums) return {};
    const count = this.count;
    this.inFlight.add(sums);
    try {
      const values = await sums.data();
      return Object.fromEntries(this.names.map((name, i) => [name, values[i] / count]));
    } finally {
      this.inFlight.delete(sums);
      if (this.retired.delete(sums)) sums.dispose();
    }
  }

  dispose(): void {
    if (this.sums) this.retire(this.sums);
    this.sums = undefined;
    this.count = 0;
  }

  private retire(sums: Tensor): void {
    if (this.inFlight.has(sums)) this.retired.add(sums);
    else sums.dispose();
  }
}
