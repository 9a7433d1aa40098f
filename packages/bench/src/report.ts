// The BENCHMARKS.md results, written from the measured outcomes only: one block per workload, each naming
// the run it comes from (so a run of some workloads replaces their blocks and keeps the others').
import { BACKEND_LABELS, type BackendId, type JobOutcome, type Workload } from './jobs.ts';
import type { KernelResult } from './kernels.ts';
import type { Machine } from './machine.ts';
import { fixed, table } from './markdown.ts';
import { scalingBody } from './scaling-report.ts';
import { convnetEpochFlops, lstmEpochFlops } from './model-flops.ts';
import { EPOCH_ELEMENTWISE_FLOPS, epochMatmulFlops, type Peak } from './peak.ts';
import { summarize, type Summary } from './stats.ts';
import type { TrainingResult } from './training.ts';

/** The jobs of one workload in a run, with the host's load average (1, 5, 15 min) before and after them. */
export interface WorkloadRun {
  readonly workload: Workload;
  readonly started: string;
  readonly loadBefore: readonly number[];
  readonly loadAfter: readonly number[];
  readonly outcomes: readonly JobOutcome[];
}

export interface Report {
  readonly machine: Machine;
  readonly peak: Peak;
  readonly options: string;
  readonly runs: readonly WorkloadRun[];
}

/** Strata against a peer, as speed ratios (Strata's rate ÷ the peer's). */
const PAIRS: readonly [BackendId, BackendId][] = [
  ['strata-cpu', 'tfjs-wasm'],
  ['strata-cpu', 'tfjs-cpu'],
  ['strata-cpu', 'torch-cpu'],
  ['strata-webgpu', 'tfjs-webgpu'],
];

/** fit reads the running loss back about every 100 ms for the progress bar. */
const PROGRESS_READ_SECONDS = 0.1;

const range = (s: Summary): string => `${fixed(s.median)} (${fixed(s.min)}–${fixed(s.max)})`;

function training(outcomes: readonly JobOutcome[], id: BackendId): TrainingResult | undefined {
  for (const o of outcomes) if (o.ok && o.job.backend === id && o.output.training) return o.output.training;
  return undefined;
}

function kernels(outcomes: readonly JobOutcome[], id: BackendId): KernelResult[] | undefined {
  for (const o of outcomes) if (o.ok && o.job.backend === id && o.output.kernels) return o.output.kernels;
  return undefined;
}

function peakRss(outcomes: readonly JobOutcome[], id: BackendId): number | undefined {
  const rss = outcomes.filter((o) => o.ok && o.job.backend === id && o.output.training).map((o) => (o.ok ? o.output.peakRssMiB : 0));
  return rss.length > 0 ? Math.max(...rss) : undefined;
}

const backendsIn = (outcomes: readonly JobOutcome[]): BackendId[] => [...new Set(outcomes.map((o) => o.job.backend))];

function trainingTable(outcomes: readonly JobOutcome[]): string {
  const rows = backendsIn(outcomes).map((id) => {
    const t = training(outcomes, id);
    const failed = outcomes.find((o) => !o.ok && o.job.backend === id);
    if (!t) return [BACKEND_LABELS[id], failed ? 'failed (see below)' : 'not run', '', '', '', ''];
    const timed = t.fullEpochs ? `${t.runSeconds.runs} epochs` : `${t.runSeconds.runs} × ${t.stepsPerRun} steps, extrapolated`;
    const rss = peakRss(outcomes, id);
    return [BACKEND_LABELS[id], timed, range(t.samplesPerSecond), range(t.epochSeconds), t.testAccuracy?.toFixed(4) ?? '— (steps only)', rss ? rss.toFixed(0) : '—'];
  });
  return table(['backend', 'timed', 'samples/s', 's per epoch', '5-epoch test acc', 'peak RSS MiB'], rows);
}

function speedRatio(outcomes: readonly JobOutcome[], a: BackendId, b: BackendId): number | undefined {
  const [x, y] = [training(outcomes, a)?.samplesPerSecond.median, training(outcomes, b)?.samplesPerSecond.median];
  return x && y ? x / y : undefined;
}

const times = (v: number | undefined): string => (v === undefined ? '—' : `${fixed(v)}×`);

function trainingRatios(outcomes: readonly JobOutcome[]): string {
  const rows = PAIRS.map(([s, p]) => [`${BACKEND_LABELS[s]} ÷ ${BACKEND_LABELS[p]}`, times(speedRatio(outcomes, s, p))]);
  return table(['pair', 'training speed ratio (samples/s, medians)'], rows);
}

function kernelTable(outcomes: readonly JobOutcome[]): string {
  const ids = backendsIn(outcomes).filter((id) => kernels(outcomes, id));
  const names = [...new Set(ids.flatMap((id) => kernels(outcomes, id)?.map((k) => `${k.name} (${k.unit})`) ?? []))];
  const rate = (id: BackendId, name: string): Summary | undefined => kernels(outcomes, id)?.find((k) => `${k.name} (${k.unit})` === name)?.rate;
  const pairs = PAIRS.filter(([s, p]) => ids.includes(s) && ids.includes(p));
  const rows = names.map((name) => [
    name,
    ...ids.map((id) => {
      const s = rate(id, name);
      return s ? range(s) : '—';
    }),
    ...pairs.map(([s, p]) => {
      const [a, b] = [rate(s, name), rate(p, name)];
      return times(a && b ? a.median / b.median : undefined);
    }),
  ]);
  const head = ['op', ...ids.map((id) => BACKEND_LABELS[id]), ...pairs.map(([s, p]) => `${BACKEND_LABELS[s]} ÷ ${BACKEND_LABELS[p]}`)];
  return table(head, rows);
}

const medianOf = (values: readonly number[] | undefined): number | undefined => (values && values.length > 0 ? summarize(values).median : undefined);

/** Share of Strata CPU's timed runs spent in each backend op, largest first. */
function cpuProfile(t: TrainingResult | undefined): [string, number][] {
  if (!t) return [];
  const run = t.runSeconds.median;
  return Object.entries(t.probes)
    .filter(([name]) => name.startsWith('op:'))
    .map(([name, values]): [string, number] => [name.slice(3), (medianOf(values) ?? 0) / run])
    .sort((a, b) => b[1] - a[1]);
}

const shareOf = (shares: readonly [string, number][], match: (name: string) => boolean): number | undefined => {
  const hits = shares.filter(([name]) => match(name));
  return hits.length > 0 ? hits.reduce((a, [, s]) => a + s, 0) : undefined;
};

const verdict = (met: boolean | undefined): string => (met === undefined ? 'not measured' : met ? '**met**' : '**not met**');
const pct = (v: number): string => `${(v * 100).toFixed(0)}%`;

/** `- label: met/not met (figure)`, or 'not measured' when a figure is missing. */
const target = (label: string, value: number | undefined, met: (v: number) => boolean, shown: (v: number) => string): string =>
  `- ${label}: ${verdict(value === undefined ? undefined : met(value))} (${value === undefined ? '—' : shown(value)})`;

function speedTargets(outcomes: readonly JobOutcome[], torchTarget: string | undefined): string[] {
  const lines = [
    target('Strata cpu ≥ 5× tfjs wasm', speedRatio(outcomes, 'strata-cpu', 'tfjs-wasm'), (v) => v >= 5, times),
    target('Strata webgpu ≥ 5× tfjs webgpu (same adapter)', speedRatio(outcomes, 'strata-webgpu', 'tfjs-webgpu'), (v) => v >= 5, times),
  ];
  if (torchTarget) lines.push(target(torchTarget, speedRatio(outcomes, 'torch-cpu', 'strata-cpu'), (v) => v <= 3, (v) => (v >= 1 ? `PyTorch is ${fixed(v)}× faster` : `Strata is ${fixed(1 / v)}× faster`)));
  return lines;
}

function mapAsyncTarget(outcomes: readonly JobOutcome[]): string {
  const gpu = training(outcomes, 'strata-webgpu');
  const maps = medianOf(gpu?.probes.mapAsync);
  if (!gpu || maps === undefined) return `- mapAsync calls per epoch: ${verdict(undefined)}`;
  const allowed = 2 + Math.ceil(gpu.runSeconds.median / PROGRESS_READ_SECONDS);
  const per = gpu.fullEpochs ? 'per epoch' : `per ${gpu.stepsPerRun} steps`;
  return `- mapAsync calls in Strata webgpu training ≤ 2 per epoch + progress-bar reads (one per 100 ms: ≤ ${allowed} ${per}): ${verdict(maps <= allowed)} (${maps} ${per}, ${fixed(maps / gpu.stepsPerRun)} per step)`;
}

function bookTargets(outcomes: readonly JobOutcome[]): string {
  const lines = [...speedTargets(outcomes, 'Strata cpu within 3× of PyTorch cpu (goal beyond the issue)'), mapAsyncTarget(outcomes)];
  const matmul = shareOf(cpuProfile(training(outcomes, 'strata-cpu')), (n) => n === 'matmul');
  lines.push(target('Share of Strata cpu epoch time in matmul kernels ≥ 60%', matmul, (v) => v >= 0.6, pct));
  for (const [s, p] of [['strata-cpu', 'tfjs-wasm'], ['strata-cpu', 'tfjs-cpu'], ['strata-webgpu', 'tfjs-webgpu']] as const) {
    const [a, b] = [peakRss(outcomes, s), peakRss(outcomes, p)];
    lines.push(`- Peak RSS ${BACKEND_LABELS[s]} ≤ ${BACKEND_LABELS[p]}: ${verdict(a && b ? a <= b : undefined)} (${a?.toFixed(0) ?? '—'} vs ${b?.toFixed(0) ?? '—'} MiB)`);
  }
  return lines.join('\n');
}

/** The epoch's floor: its FLOPs over the measured FMA peak, and Strata cpu's epoch as a multiple of it. */
function floor(outcomes: readonly JobOutcome[], peak: Peak, flops: number, what: string): string {
  const total = `Epoch FLOPs ≈ ${(flops / 1e9).toFixed(1)} GFLOP (${what})`;
  if ('error' in peak) return `${total}; peak not measured: ${peak.error}.`;
  const seconds = flops / (peak.gflops * 1e9);
  const cpu = training(outcomes, 'strata-cpu');
  const vs = cpu ? ` Strata cpu's epoch is ${fixed(cpu.epochSeconds.median / seconds)}× the floor.` : '';
  return `${total} over the measured FMA peak of ${peak.gflops.toFixed(0)} GFLOP/s (${peak.cores} cores, peak/fma-peak.c) = **${fixed(seconds)} s** per epoch.${vs}`;
}

function profile(outcomes: readonly JobOutcome[]): string {
  const shares = cpuProfile(training(outcomes, 'strata-cpu'));
  if (shares.length === 0) return '';
  const listed = shares.filter(([, s]) => s >= 0.005).map(([n, s]) => `${n} ${pct(s)}`).join(', ');
  const rest = pct(1 - shares.reduce((a, [, s]) => a + s, 0));
  return `Strata cpu, share of a timed run per backend op: ${listed}; the rest (${rest}) is outside backend ops (autodiff, tidy, fit's loop).`;
}

function convShare(outcomes: readonly JobOutcome[]): string {
  const conv = shareOf(cpuProfile(training(outcomes, 'strata-cpu')), (n) => n.endsWith('(conv)'));
  return conv === undefined ? '' : `Share of Strata cpu's timed run in convolution kernels (im2col, the matmuls over its patches, col2im of the input gradient): **${pct(conv)}**.`;
}

/** Where a missed speed target's time goes: the CPU profile is above; the GPU's ops are asynchronous. */
function gpuNote(outcomes: readonly JobOutcome[]): string {
  const ratio = speedRatio(outcomes, 'strata-webgpu', 'tfjs-webgpu');
  if (ratio === undefined || ratio >= 5) return '';
  return 'Strata webgpu is not profiled per op: its kernels run asynchronously, so host-side op times would measure only their dispatch.';
}

function failures(outcomes: readonly JobOutcome[]): string {
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length === 0) return '';
  return ['Failures:', '', ...failed.map((o) => `- ${BACKEND_LABELS[o.job.backend]}, ${o.job.workload}${o.job.spin ? ' (one core busy)' : ''}: ${o.ok ? '' : o.error.replaceAll('|', '\\|')}`)].join('\n');
}

/** The contended workload's table and targets: each backend's epoch quiet and with one core kept busy. */
function contendedBody(outcomes: readonly JobOutcome[]): string[] {
  const [quiet, busy] = [outcomes.filter((o) => !o.job.spin), outcomes.filter((o) => o.job.spin)];
  const how = (t: TrainingResult | undefined): string => (t ? (t.fullEpochs ? `${t.runSeconds.runs} epochs` : `${t.runSeconds.runs} × ${t.stepsPerRun} steps`) : '');
  const rows = backendsIn(outcomes).map((id) => {
    const [q, b] = [training(quiet, id), training(busy, id)];
    const slowdown = q && b ? `${fixed(b.epochSeconds.median / q.epochSeconds.median)}×` : '—';
    return [BACKEND_LABELS[id], q ? range(q.epochSeconds) : 'failed', b ? range(b.epochSeconds) : 'failed', slowdown, `${how(q)} / ${how(b)}`];
  });
  const [q, b] = [training(quiet, 'strata-cpu'), training(busy, 'strata-cpu')];
  const slowdown = q && b ? b.epochSeconds.median / q.epochSeconds.median : undefined;
  const lines = [
    target("Strata cpu's epoch with one core busy ≤ 2× its quiet epoch", slowdown, (v) => v <= 2, (v) => `${fixed(v)}×: ${fixed(b?.epochSeconds.median ?? 0)} s against ${fixed(q?.epochSeconds.median ?? 0)} s`),
    target('Strata cpu ≥ 5× tfjs wasm with one core busy', speedRatio(busy, 'strata-cpu', 'tfjs-wasm'), (v) => v >= 5, times),
  ];
  const ratios = [['tfjs-wasm', 'tfjs wasm'], ['torch-cpu', 'PyTorch cpu']].map(([id, label]) =>
    [`Strata cpu ÷ ${label}`, times(speedRatio(quiet, 'strata-cpu', id as BackendId)), times(speedRatio(busy, 'strata-cpu', id as BackendId))]);
  const busyProfile = profile(busy);
  return [
    table(['backend', 's per epoch, quiet', 's per epoch, one core busy', 'busy ÷ quiet', 'timed (quiet / busy)'], rows),
    table(['pair', 'speed ratio, quiet', 'speed ratio, one core busy'], ratios),
    busyProfile && `With one core busy: ${busyProfile}`,
    '#### Targets',
    lines.join('\n'),
  ];
}

const TITLES: Readonly<Record<Workload, string>> = {
  training: "Workload A: the book's MNIST training",
  kernels: 'Workload B: kernels',
  convnet: "Workload C: the book's convnet (batch 64)",
  lstm: 'Workload D: sequential MNIST, LSTM(128) (batch 128)',
  contended: "Workload E: the book's MNIST training with one core kept busy",
  scaling: 'Workload F: how cost grows (MLP width and batch)',
};

const load = (l: readonly number[]): string => l.map((v) => v.toFixed(2)).join(', ');

function body(run: WorkloadRun, peak: Peak): string[] {
  const o = run.outcomes;
  switch (run.workload) {
    case 'kernels':
      return [kernelTable(o)];
    case 'training': {
      const what = `${(epochMatmulFlops() / 1e9).toFixed(1)} in the five matmuls, ${(EPOCH_ELEMENTWISE_FLOPS / 1e9).toFixed(1)} element-wise and optimizer`;
      return [trainingTable(o), trainingRatios(o), floor(o, peak, epochMatmulFlops() + EPOCH_ELEMENTWISE_FLOPS, what), profile(o), '#### Targets', bookTargets(o)];
    }
    case 'convnet':
      return [
        trainingTable(o), trainingRatios(o), floor(o, peak, convnetEpochFlops(), 'the three convolutions and the dense layer, forward and gradients, from the shapes; pooling, element-wise and optimizer not counted'),
        profile(o), convShare(o), '#### Targets', speedTargets(o, 'Strata cpu within 3× of PyTorch cpu').join('\n'), gpuNote(o),
      ];
    case 'contended':
      return contendedBody(o);
    case 'scaling':
      return scalingBody(run);
    case 'lstm':
      return [
        trainingTable(o), trainingRatios(o), floor(o, peak, lstmEpochFlops(), "the gates' matmuls over 28 steps, forward and gradients, and the dense layer, from the shapes; element-wise and optimizer not counted"),
        profile(o), '#### Targets', speedTargets(o, undefined).join('\n'), gpuNote(o),
      ];
  }
}

/** One workload's block: its title, the run it comes from (date, machine, options, load), its figures. */
export function renderBlock(r: Report, run: WorkloadRun): string {
  const m = r.machine;
  return [
    `### ${TITLES[run.workload]}`,
    `Run of ${run.started} · ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · ${m.os} · Node ${m.node}${m.vulkanIcd ? ` · WebGPU via Dawn on ${m.vulkanIcd}` : ''}`,
    `Options: ${r.options}. Load average (1, 5, 15 min) before this workload's jobs ${load(run.loadBefore)}, after ${load(run.loadAfter)}. Figures: median (min–max) of the timed runs.`,
    ...body(run, r.peak),
    failures(run.outcomes),
  ].filter((part) => part !== '').join('\n\n');
}

export const RESULTS_HEADING = '## Results (written by `pnpm bench`)';
