// The scaling workload's block: samples/s per point and backend as two tables (width sweep, batch sweep)
// and the same figures drawn as BENCHMARKS-scaling.svg (log–log, one line per backend).
import { BACKEND_LABELS, type BackendId, type JobOutcome } from './jobs.ts';
import { fixed, table } from './markdown.ts';
import type { WorkloadRun } from './report.ts';
import { BATCHES, POINT_PLAN, SWEEP_BATCH, SWEEP_WIDTH, WIDTHS, type ScalingPoint } from './scaling.ts';
import { lineChartSvg, type Series } from './svg-chart.ts';

/** The chart's file name, next to the markdown file the bench writes. */
export const SCALING_CHART = 'BENCHMARKS-scaling.svg';

const COLORS: Readonly<Record<BackendId, string>> = {
  'strata-cpu': '#1f77b4',
  'strata-webgpu': '#2ca02c',
  'tfjs-cpu': '#8c564b',
  'tfjs-wasm': '#ff7f0e',
  'tfjs-webgpu': '#9467bd',
  'torch-cpu': '#d62728',
};

/** Matmul FLOPs of one training sample: the first layer forward and its kernel gradient (no input gradient), the second all three. */
const sampleFlops = (hidden: number): number => 2 * 784 * hidden * 2 + 2 * hidden * 10 * 3;

function pointsOf(outcomes: readonly JobOutcome[]): [BackendId, readonly ScalingPoint[]][] {
  return outcomes.flatMap((o): [BackendId, readonly ScalingPoint[]][] => (o.ok && o.output.scaling ? [[o.job.backend, o.output.scaling]] : []));
}

const at = (points: readonly ScalingPoint[], hidden: number, batch: number): ScalingPoint | undefined =>
  points.find((p) => p.hidden === hidden && p.batch === batch);

/** One sweep's table: a row per shape, samples/s per backend, Strata cpu's matmul GFLOP/s and its ratio to each peer. */
function sweepTable(outcomes: readonly JobOutcome[], shapes: readonly [number, number][], varied: 'hidden' | 'batch'): string {
  const all = pointsOf(outcomes);
  const cpu = all.find(([id]) => id === 'strata-cpu')?.[1];
  const peers = all.filter(([id]) => id !== 'strata-cpu' && id !== 'strata-webgpu');
  const rows = shapes.map(([hidden, batch]) => {
    const mine = cpu && at(cpu, hidden, batch);
    return [
      String(varied === 'hidden' ? hidden : batch),
      ...all.map(([, points]) => {
        const p = at(points, hidden, batch);
        return p ? `${fixed(p.samplesPerSecond)} (${p.steps} steps)` : '—';
      }),
      mine ? fixed((mine.samplesPerSecond * sampleFlops(hidden)) / 1e9) : '—',
      ...peers.map(([, points]) => {
        const p = at(points, hidden, batch);
        return mine && p ? `${fixed(mine.samplesPerSecond / p.samplesPerSecond)}×` : '—';
      }),
    ];
  });
  const head = [varied === 'hidden' ? `hidden width (batch ${SWEEP_BATCH})` : `batch (width ${SWEEP_WIDTH})`, ...all.map(([id]) => `${BACKEND_LABELS[id]} samples/s`),
    'Strata cpu matmul GFLOP/s', ...peers.map(([id]) => `Strata cpu ÷ ${BACKEND_LABELS[id]}`)];
  return table(head, rows);
}

const widthShapes = (): [number, number][] => WIDTHS.map((h) => [h, SWEEP_BATCH]);
const batchShapes = (): [number, number][] => BATCHES.map((b) => [SWEEP_WIDTH, b]);

export function scalingBody(run: WorkloadRun): string[] {
  const o = run.outcomes;
  if (pointsOf(o).length === 0) return [];
  return [
    `Training samples/s of 784 → Dense(hidden, relu) → Dense(10, softmax), RMSprop, per point: a warm-up of ${POINT_PLAN.warmupSteps} step(s), ${POINT_PLAN.sizingSteps} steps that size the run, then one timed run of ${POINT_PLAN.minSteps}–${POINT_PLAN.maxSteps} steps filling ≈ ${POINT_PLAN.seconds} s (its steps are in each cell; one run per point, so single figures are noisier than the other workloads' medians). Chart: [${SCALING_CHART}](${SCALING_CHART}).`,
    `![samples/s against hidden width and batch, log–log, one line per backend](${SCALING_CHART})`,
    sweepTable(o, widthShapes(), 'hidden'),
    sweepTable(o, batchShapes(), 'batch'),
  ];
}

/** The chart's SVG, or undefined when no backend measured a point. */
export function scalingChart(run: WorkloadRun): string | undefined {
  const all = pointsOf(run.outcomes);
  if (all.length === 0) return undefined;
  const series = (shapes: readonly [number, number][], x: (h: number, b: number) => number): Series[] =>
    all.map(([id, points]) => ({
      name: BACKEND_LABELS[id],
      color: COLORS[id],
      points: shapes.flatMap(([h, b]): [number, number][] => {
        const p = at(points, h, b);
        return p ? [[x(h, b), p.samplesPerSecond]] : [];
      }),
    }));
  return lineChartSvg([
    { title: `Hidden width (batch ${SWEEP_BATCH})`, xLabel: 'hidden width (log)', yLabel: 'training samples/s (log)', series: series(widthShapes(), (h) => h) },
    { title: `Batch size (width ${SWEEP_WIDTH})`, xLabel: 'batch size (log)', yLabel: 'training samples/s (log)', series: series(batchShapes(), (_, b) => b) },
  ]);
}
