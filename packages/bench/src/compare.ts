// `pnpm bench`: every job in its own process, then the BENCHMARKS.md section written from the results.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadavg } from 'node:os';
import { BACKENDS, BACKEND_LABELS, BOOK_WORKLOADS, WORKLOADS, WORKLOAD_BACKENDS, isTraining, type BackendId, type Job, type JobOutcome, type Workload } from './jobs.ts';
import { describeMachine } from './machine.ts';
import { measurePeak } from './peak.ts';
import { RESULTS_HEADING, renderBlock, type Report, type WorkloadRun } from './report.ts';
import { runNodeJob, runTorchJob } from './runner.ts';
import { SCALING_CHART, scalingChart } from './scaling-report.ts';
import { withSpinner } from './spinner.ts';
import type { TrainingOptions } from './training.ts';

const USAGE = `usage: bench [--workloads ${WORKLOADS.join(',')}] [--backends ${BACKENDS.join(',')}]
             [--steps N|auto] [--runs N] [--budget SECONDS] [--timeout SECONDS] [--python PATH] [--out FILE]
  --steps   0 = time whole epochs; N = time the first N batches and extrapolate; auto (default) = whole epochs
            when warm-up + 5 epochs fit in --budget seconds, else as many steps as fit
  --budget  seconds of timed training per job for auto (default 120 for training, 30 for convnet and lstm,
            40 for each of contended's quiet and busy jobs)
  --runs    timed runs per figure (default 5; 3 for convnet, lstm and contended)
  --python  a Python with torch (default: $STRATA_BENCH_PYTHON, /tmp/torchv/bin/python, python3)
  --out     the markdown file whose results section is replaced (default: BENCHMARKS.md at the repo root)`;

/**
 * Per workload, when --budget and --runs are not given: seconds of timed training per job for `--steps auto`,
 * timed runs, and warm-up steps. A convnet step takes minutes on tfjs cpu, so the convnet and the LSTM warm
 * up for one step and time up to 3 runs (fewer when one step a run does not fit the budget).
 */
const DEFAULTS: Readonly<Record<Workload, { budget: number; runs: number; warmupSteps: number }>> = {
  training: { budget: 120, runs: 5, warmupSteps: 5 },
  kernels: { budget: 120, runs: 5, warmupSteps: 5 },
  convnet: { budget: 30, runs: 3, warmupSteps: 1 },
  lstm: { budget: 30, runs: 3, warmupSteps: 1 },
  contended: { budget: 40, runs: 3, warmupSteps: 5 },
  // not used: scaling.ts times each point with its own plan (POINT_PLAN)
  scaling: { budget: 0, runs: 1, warmupSteps: 0 },
};

interface CompareOptions {
  workloads: Workload[];
  backends: BackendId[];
  /** budgetSeconds and runs 0: each workload's default. */
  training: TrainingOptions;
  runs: number;
  timeoutSeconds: number;
  python: string;
  out: string;
}

function list<T extends string>(flag: string, value: string, valid: readonly T[]): T[] {
  const items = value.split(',').map((s) => s.trim());
  const bad = items.filter((s) => !(valid as readonly string[]).includes(s));
  if (bad.length > 0) throw new Error(`${flag}: unknown ${bad.join(', ')} (valid: ${valid.join(', ')})`);
  return items as T[];
}

function int(flag: string, value: string, least: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < least) throw new Error(`${flag} must be an integer ≥ ${least}, got ${value}`);
  return n;
}

function defaultPython(): string {
  if (process.env.STRATA_BENCH_PYTHON) return process.env.STRATA_BENCH_PYTHON;
  return existsSync('/tmp/torchv/bin/python') ? '/tmp/torchv/bin/python' : 'python3';
}

function parseCompareOptions(argv: readonly string[]): CompareOptions {
  const opts: CompareOptions = {
    workloads: [...WORKLOADS],
    backends: [...BACKENDS],
    training: { steps: 'auto', runs: 0, budgetSeconds: 0, warmupSteps: 0 },
    runs: 0,
    timeoutSeconds: 1800,
    python: defaultPython(),
    out: fileURLToPath(new URL('../../../BENCHMARKS.md', import.meta.url)),
  };
  for (let i = 0; i < argv.length; i += 2) {
    const [flag, value] = [argv[i], argv[i + 1]];
    if (flag === '--help') throw new Error(USAGE);
    if (value === undefined) throw new Error(`${flag}: missing value\n${USAGE}`);
    if (flag === '--workloads') opts.workloads = list(flag, value, WORKLOADS);
    else if (flag === '--backends') opts.backends = list(flag, value, BACKENDS);
    else if (flag === '--steps') opts.training = { ...opts.training, steps: value === 'auto' ? 'auto' : int(flag, value, 0) };
    else if (flag === '--runs') {
      opts.runs = int(flag, value, 1);
      opts.training = { ...opts.training, runs: opts.runs };
    } else if (flag === '--budget') opts.training = { ...opts.training, budgetSeconds: int(flag, value, 1) };
    else if (flag === '--timeout') opts.timeoutSeconds = int(flag, value, 1);
    else if (flag === '--python') opts.python = value;
    else if (flag === '--out') opts.out = value;
    else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return opts;
}

function describeOptions(o: CompareOptions): string {
  const each = (f: (w: Workload) => string | number): string => o.workloads.filter(isTraining).map((w) => `${f(w)} ${w}`).join(', ');
  const steps = o.training.steps === 'auto' ? `auto (budget per job: ${each((w) => `${trainingFor(o, w).budgetSeconds} s`)})` : o.training.steps === 0 ? 'whole epochs' : `${o.training.steps}`;
  return `--workloads ${o.workloads.join(',')} --backends ${o.backends.join(',')} --steps ${steps} --runs ${o.runs || each((w) => DEFAULTS[w].runs)}; warm-up steps: ${each((w) => DEFAULTS[w].warmupSteps)}`;
}

function trainingFor(o: CompareOptions, w: Workload): TrainingOptions {
  const d = DEFAULTS[w];
  return { ...o.training, budgetSeconds: o.training.budgetSeconds || d.budget, runs: o.runs || d.runs, warmupSteps: d.warmupSteps };
}

/** Jobs in run order, by workload; PyTorch's book.py covers both book workloads in one job. */
function plan(o: CompareOptions): Job[][] {
  const torchBook = (j: Job): boolean => j.backend === 'torch-cpu' && BOOK_WORKLOADS.includes(j.workload);
  const planned: Job[][] = [];
  for (const workload of o.workloads) {
    const training = trainingFor(o, workload);
    const compared = WORKLOAD_BACKENDS[workload];
    const backends = compared ? o.backends.filter((b) => compared.includes(b)) : o.backends;
    // contended: each backend quiet, then with one core kept busy
    const spins = workload === 'contended' ? [false, true] : [false];
    const jobs = backends.flatMap((backend) => spins.map((spin): Job => ({ backend, workload, training, runs: training.runs, ...(spin ? { spin } : {}) })));
    planned.push(jobs.filter((j) => !(torchBook(j) && planned.flat().some(torchBook))));
  }
  return planned;
}

const MARK_START = '<!-- bench:results:start -->';
const MARK_END = '<!-- bench:results:end -->';
const blockStart = (w: Workload): string => `<!-- bench:${w}:start -->`;
const blockEnd = (w: Workload): string => `<!-- bench:${w}:end -->`;

/** The block of workload `w` in `section` (between its markers), if there is one. */
function existingBlock(section: string, w: Workload): string | undefined {
  const [start, end] = [section.indexOf(blockStart(w)), section.indexOf(blockEnd(w))];
  return start >= 0 && end > start ? section.slice(start + blockStart(w).length, end).trim() : undefined;
}

/**
 * Replaces the results section of `file` (between the markers), or appends one: the blocks of the workloads
 * this run measured are new, the other workloads' blocks are kept as they were.
 */
function writeSection(file: string, blocks: ReadonlyMap<Workload, string>): void {
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const [start, end] = [old.indexOf(MARK_START), old.indexOf(MARK_END)];
  const section = start >= 0 && end > start ? old.slice(start, end) : '';
  const kept = WORKLOADS.map((w): [Workload, string | undefined] => [w, blocks.get(w) ?? existingBlock(section, w)]);
  const body = kept.filter(([, text]) => text !== undefined).map(([w, text]) => `${blockStart(w)}\n${text}\n${blockEnd(w)}`);
  const block = [MARK_START, RESULTS_HEADING, '', 'Each workload\'s block names the run it comes from; a run replaces the blocks of the workloads it measured.', '', ...body.flatMap((b) => [b, '']), MARK_END].join('\n');
  const next = section ? old.slice(0, start) + block + old.slice(end + MARK_END.length) : `${old.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}

const now = (): string => new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';

export async function runComparison(argv: readonly string[]): Promise<void> {
  const opts = parseCompareOptions(argv);
  const machine = describeMachine();
  const peak = measurePeak();
  process.stderr.write(`FMA peak: ${'error' in peak ? peak.error : `${peak.gflops.toFixed(0)} GFLOP/s`}\n`);
  const runs: WorkloadRun[] = [];
  const bookOutcomes: JobOutcome[] = [];
  for (const [i, jobs] of plan(opts).entries()) {
    const [started, loadBefore] = [now(), loadavg()];
    const outcomes: JobOutcome[] = [];
    for (const job of jobs) {
      process.stderr.write(`${BACKEND_LABELS[job.backend]}, ${job.workload}${job.spin ? ', one core kept busy' : ''} (load ${loadavg()[0].toFixed(2)}):\n`);
      const began = performance.now();
      const measure = async (): Promise<JobOutcome[]> => (job.backend === 'torch-cpu' ? runTorchJob(job, opts.python, opts.timeoutSeconds) : [await runNodeJob(job, opts.timeoutSeconds)]);
      const results = job.spin ? await withSpinner(measure) : await measure();
      const mine = results.filter((o) => o.job.workload === job.workload);
      bookOutcomes.push(...results.filter((o) => o.job.workload !== job.workload));
      for (const o of mine) process.stderr.write(`  ${o.ok ? 'done' : `FAILED: ${o.error}`} in ${((performance.now() - began) / 1000).toFixed(0)} s\n`);
      outcomes.push(...mine);
    }
    const workload = opts.workloads[i];
    // PyTorch's kernels were measured with its book training, in the training workload's time.
    outcomes.push(...bookOutcomes.filter((o) => o.job.workload === workload));
    runs.push({ workload, started, loadBefore, loadAfter: loadavg(), outcomes });
  }
  const report: Report = { machine, peak, options: describeOptions(opts), runs };
  const blocks = new Map(runs.map((run) => [run.workload, renderBlock(report, run)]));
  const scaling = runs.find((run) => run.workload === 'scaling');
  const chart = scaling && scalingChart(scaling);
  if (chart) writeFileSync(join(dirname(opts.out), SCALING_CHART), chart);
  writeFileSync(fileURLToPath(new URL('./results.json', import.meta.url)), JSON.stringify({ machine, peak, runs }, null, 2));
  writeSection(opts.out, blocks);
  console.log([...blocks.values()].join('\n\n'));
  console.log(`\nwritten to ${opts.out}`);
}
