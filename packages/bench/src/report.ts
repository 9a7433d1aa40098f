// The BENCHMARKS.md section, written from the measured outcomes only.
import { BACKEND_LABELS, type BackendId, type JobOutcome } from './jobs.ts';
import type { KernelResult } from './kernels.ts';
import type { Machine } from './machine.ts';
import { EPOCH_ELEMENTWISE_FLOPS, epochMatmulFlops, type Peak } from './peak.ts';
import { summarize, type Summary } from './stats.ts';
import type { TrainingResult } from './training.ts';

export interface Report {
  readonly machine: Machine;
  readonly peak: Peak;
  readonly options: string;
  readonly outcomes: readonly JobOutcome[];
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

const fixed = (v: number): string => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toPrecision(2));
const range = (s: Summary): string => `${fixed(s.median)} (${fixed(s.min)}–${fixed(s.max)})`;
const row = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
const table = (head: readonly string[], rows: readonly (readonly string[])[]): string =>
  [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');

function training(outcomes: readonly JobOutcome[], id: BackendId): TrainingResult | undefined {
  for (const o of outcomes) if (o.ok && o.job.backend === id && o.output.training) return o.output.training;
  return undefined;
}

function kernels(outcomes: readonly JobOutcome[], id: BackendId): KernelResult[] | undefined {
  for (const o of outcomes) if (o.ok && o.job.backend === id && o.output.kernels) return o.output.kernels;
  return undefined;
}

function peakRss(outcomes: readonly JobOutcome[], id: BackendId): number | undefined {
  const rss = outcomes.filter((o) => o.ok && o.job.backend === id && o.job.workload === 'training').map((o) => (o.ok ? o.output.peakRssMiB : 0));
  return rss.length > 0 ? Math.max(...rss) : undefined;
}

const backendsIn = (outcomes: readonly JobOutcome[]): BackendId[] => [...new Set(outcomes.map((o) => o.job.backend))];

function trainingTable(r: Report): string {
  const ids = backendsIn(r.outcomes);
  const rows = ids.map((id) => {
    const t = training(r.outcomes, id);
    const failed = r.outcomes.find((o) => !o.ok && o.job.backend === id && o.job.workload === 'training');
    if (!t) return [BACKEND_LABELS[id], failed ? 'failed (see below)' : 'not run', '', '', '', ''];
    const timed = t.fullEpochs ? `${t.runSeconds.runs} epochs` : `${t.runSeconds.runs} × ${t.stepsPerRun} steps, extrapolated`;
    const rss = peakRss(r.outcomes, id);
    return [BACKEND_LABELS[id], timed, range(t.samplesPerSecond), range(t.epochSeconds), t.testAccuracy?.toFixed(4) ?? '— (steps only)', rss ? rss.toFixed(0) : '—'];
  });
  return table(['backend', 'timed', 'samples/s', 's per epoch', '5-epoch test acc', 'peak RSS MiB'], rows);
}

function ratioText(a: Summary | undefined, b: Summary | undefined): string {
  return a && b ? `${fixed(a.median / b.median)}×` : '—';
}

function trainingRatios(r: Report): string {
  const rows = PAIRS.map(([s, p]) => [`${BACKEND_LABELS[s]} ÷ ${BACKEND_LABELS[p]}`, ratioText(training(r.outcomes, s)?.samplesPerSecond, training(r.outcomes, p)?.samplesPerSecond)]);
  return table(['pair', 'training speed ratio (samples/s, medians)'], rows);
}

function kernelTable(r: Report): string {
  const ids = backendsIn(r.outcomes).filter((id) => kernels(r.outcomes, id));
  const names = [...new Set(ids.flatMap((id) => kernels(r.outcomes, id)?.map((k) => `${k.name} (${k.unit})`) ?? []))];
  const rate = (id: BackendId, name: string): Summary | undefined => kernels(r.outcomes, id)?.find((k) => `${k.name} (${k.unit})` === name)?.rate;
  const pairs = PAIRS.filter(([s, p]) => ids.includes(s) && ids.includes(p));
  const rows = names.map((name) => [
    name,
    ...ids.map((id) => {
      const s = rate(id, name);
      return s ? range(s) : '—';
    }),
    ...pairs.map(([s, p]) => ratioText(rate(s, name), rate(p, name))),
  ]);
  const head = ['op', ...ids.map((id) => BACKEND_LABELS[id]), ...pairs.map(([s, p]) => `${BACKEND_LABELS[s]} ÷ ${BACKEND_LABELS[p]}`)];
  return table(head, rows);
}

const medianOf = (values: readonly number[] | undefined): number | undefined => (values && values.length > 0 ? summarize(values).median : undefined);

/** Share of Strata CPU's timed runs spent in each backend op, largest first. */
function cpuProfile(t: TrainingResult | undefined): { shares: [string, number][]; matmul?: number } {
  if (!t) return { shares: [] };
  const run = t.runSeconds.median;
  const shares = Object.entries(t.probes)
    .filter(([name]) => name.startsWith('op:'))
    .map(([name, values]): [string, number] => [name.slice(3), (medianOf(values) ?? 0) / run])
    .sort((a, b) => b[1] - a[1]);
  return { shares, matmul: shares.find(([name]) => name === 'matmul')?.[1] };
}

const verdict = (met: boolean | undefined): string => (met === undefined ? 'not measured' : met ? '**met**' : '**not met**');
const pct = (v: number): string => `${(v * 100).toFixed(0)}%`;

function targets(r: Report): string {
  const speed = (id: BackendId): number | undefined => training(r.outcomes, id)?.samplesPerSecond.median;
  const ratio = (a: BackendId, b: BackendId): number | undefined => {
    const [x, y] = [speed(a), speed(b)];
    return x && y ? x / y : undefined;
  };
  const lines: string[] = [];
  const cpuVsWasm = ratio('strata-cpu', 'tfjs-wasm');
  lines.push(`- Strata cpu ≥ 5× tfjs wasm: ${verdict(cpuVsWasm === undefined ? undefined : cpuVsWasm >= 5)} (${cpuVsWasm ? `${fixed(cpuVsWasm)}×` : '—'})`);
  const gpuVsTfjs = ratio('strata-webgpu', 'tfjs-webgpu');
  lines.push(`- Strata webgpu ≥ 5× tfjs webgpu (same adapter): ${verdict(gpuVsTfjs === undefined ? undefined : gpuVsTfjs >= 5)} (${gpuVsTfjs ? `${fixed(gpuVsTfjs)}×` : '—'})`);
  const torch = ratio('torch-cpu', 'strata-cpu');
  lines.push(`- Strata cpu within 3× of PyTorch cpu (goal beyond the issue): ${verdict(torch === undefined ? undefined : torch <= 3)} (PyTorch is ${torch ? `${fixed(torch)}×` : '—'} faster)`);
  const gpu = training(r.outcomes, 'strata-webgpu');
  const maps = medianOf(gpu?.probes.mapAsync);
  if (gpu && maps !== undefined) {
    const allowed = 2 + Math.ceil(gpu.runSeconds.median / PROGRESS_READ_SECONDS);
    const per = gpu.fullEpochs ? 'per epoch' : `per ${gpu.stepsPerRun} steps`;
    lines.push(`- mapAsync calls in Strata webgpu training ≤ 2 per epoch + progress-bar reads (one per 100 ms: ≤ ${allowed} ${per}): ${verdict(maps <= allowed)} (${maps} ${per}, ${fixed(maps / gpu.stepsPerRun)} per step)`);
  } else lines.push(`- mapAsync calls per epoch: ${verdict(undefined)}`);
  const { matmul } = cpuProfile(training(r.outcomes, 'strata-cpu'));
  lines.push(`- Share of Strata cpu epoch time in matmul kernels ≥ 60%: ${verdict(matmul === undefined ? undefined : matmul >= 0.6)} (${matmul === undefined ? '—' : pct(matmul)})`);
  for (const [s, p] of [['strata-cpu', 'tfjs-wasm'], ['strata-cpu', 'tfjs-cpu'], ['strata-webgpu', 'tfjs-webgpu']] as const) {
    const [a, b] = [peakRss(r.outcomes, s), peakRss(r.outcomes, p)];
    lines.push(`- Peak RSS ${BACKEND_LABELS[s]} ≤ ${BACKEND_LABELS[p]}: ${verdict(a && b ? a <= b : undefined)} (${a?.toFixed(0) ?? '—'} vs ${b?.toFixed(0) ?? '—'} MiB)`);
  }
  return lines.join('\n');
}

function floor(r: Report): string {
  const flops = epochMatmulFlops() + EPOCH_ELEMENTWISE_FLOPS;
  const matmulGflop = (epochMatmulFlops() / 1e9).toFixed(1);
  if ('error' in r.peak) return `Epoch FLOPs ≈ ${(flops / 1e9).toFixed(1)} GFLOP (${matmulGflop} in matmuls); peak not measured: ${r.peak.error}.`;
  const seconds = flops / (r.peak.gflops * 1e9);
  const cpu = training(r.outcomes, 'strata-cpu');
  const vs = cpu ? ` Strata cpu's epoch is ${fixed(cpu.epochSeconds.median / seconds)}× the floor.` : '';
  return `Epoch FLOPs ≈ ${(flops / 1e9).toFixed(1)} GFLOP (${matmulGflop} in the five matmuls, ${(EPOCH_ELEMENTWISE_FLOPS / 1e9).toFixed(1)} element-wise and optimizer) over the measured FMA peak of ${r.peak.gflops.toFixed(0)} GFLOP/s (${r.peak.cores} cores, peak/fma-peak.c) = **${seconds.toFixed(2)} s** per epoch.${vs}`;
}

function profiles(r: Report): string {
  const { shares } = cpuProfile(training(r.outcomes, 'strata-cpu'));
  const cpu = shares.length > 0 ? `Strata cpu, share of a timed run per backend op: ${shares.filter(([, s]) => s >= 0.005).map(([n, s]) => `${n} ${pct(s)}`).join(', ')}; the rest (${pct(1 - shares.reduce((a, [, s]) => a + s, 0))}) is outside backend ops (autodiff, tidy, fit's loop).` : '';
  return cpu;
}

function failures(r: Report): string {
  const failed = r.outcomes.filter((o) => !o.ok);
  if (failed.length === 0) return '';
  return ['### Failures', '', ...failed.map((o) => `- ${BACKEND_LABELS[o.job.backend]}, ${o.job.workload}: ${o.ok ? '' : o.error.replaceAll('|', '\\|')}`)].join('\n');
}

export function renderReport(r: Report): string {
  const m = r.machine;
  return [
    `## Results (written by \`pnpm bench\`)`,
    '',
    `${m.date} · ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB · ${m.os} · Node ${m.node}${m.vulkanIcd ? ` · WebGPU via Dawn on ${m.vulkanIcd}` : ''}`,
    `Options: ${r.options}. Figures: median (min–max) of the timed runs.`,
    '',
    '### Workload A: the book\'s MNIST training',
    '',
    trainingTable(r),
    '',
    trainingRatios(r),
    '',
    floor(r),
    '',
    profiles(r),
    '',
    '### Targets',
    '',
    targets(r),
    '',
    '### Workload B: kernels',
    '',
    kernelTable(r),
    '',
    failures(r),
  ].join('\n').replace(/\n{3,}/g, '\n\n');
}
