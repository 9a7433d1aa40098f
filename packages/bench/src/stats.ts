/** Median and range of repeated measurements. */
export interface Summary {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summarize: no measurements');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

/** The same summary with every figure mapped by `f` (a monotone decreasing `f` swaps min and max). */
export function mapSummary(s: Summary, f: (v: number) => number): Summary {
  const [a, b] = [f(s.min), f(s.max)];
  return { median: f(s.median), min: Math.min(a, b), max: Math.max(a, b), runs: s.runs };
}
