// `pnpm bench`: every job in its own process, then the BENCHMARKS.md section written from the results.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { BACKENDS, BACKEND_LABELS, WORKLOADS, type BackendId, type Job, type JobOutcome, type Workload } from './jobs.ts';
import { describeMachine } from './machine.ts';
import { measurePeak } from './peak.ts';
import { renderReport } from './report.ts';
import { runNodeJob, runTorchJob } from './runner.ts';
import type { TrainingOptions } from './training.ts';

const USAGE = `usage: bench [--workloads training,kernels] [--backends ${BACKENDS.join(',')}]
             [--steps N|auto] [--runs N] [--budget SECONDS] [--timeout SECONDS] [--python PATH] [--out FILE]
  --steps   0 = time whole epochs; N = time the first N batches and extrapolate; auto (default) = whole epochs
            when warm-up + 5 epochs fit in --budget seconds (default 120), else as many steps as fit
  --runs    timed runs per figure (default 5)
  --python  a Python with torch (default: $STRATA_BENCH_PYTHON, /tmp/torchv/bin/python, python3)
  --out     the markdown file whose results section is replaced (default: BENCHMARKS.md at the repo root)`;

interface CompareOptions {
  workloads: Workload[];
  backends: BackendId[];
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
    training: { steps: 'auto', runs: 5, budgetSeconds: 120 },
    runs: 5,
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
  const steps = o.training.steps === 'auto' ? `auto (budget ${o.training.budgetSeconds} s per training job)` : o.training.steps === 0 ? 'whole epochs' : `${o.training.steps}`;
  return `--workloads ${o.workloads.join(',')} --backends ${o.backends.join(',')} --steps ${steps} --runs ${o.runs}`;
}

/** Jobs in run order; PyTorch's one script covers both workloads. */
function plan(o: CompareOptions): Job[] {
  const jobs: Job[] = [];
  for (const workload of o.workloads) {
    for (const backend of o.backends) {
      if (backend === 'torch-cpu' && jobs.some((j) => j.backend === backend)) continue;
      jobs.push({ backend, workload, training: o.training, runs: o.runs });
    }
  }
  return jobs;
}

const MARK_START = '<!-- bench:results:start -->';
const MARK_END = '<!-- bench:results:end -->';

/** Replaces the results section of `file` (between the markers), or appends one. */
function writeSection(file: string, section: string): void {
  const block = `${MARK_START}\n${section}\n${MARK_END}`;
  const old = existsSync(file) ? readFileSync(file, 'utf8') : '# Benchmarks\n';
  const [start, end] = [old.indexOf(MARK_START), old.indexOf(MARK_END)];
  const next = start >= 0 && end > start ? old.slice(0, start) + block + old.slice(end + MARK_END.length) : `${old.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
}

export async function runComparison(argv: readonly string[]): Promise<void> {
  const opts = parseCompareOptions(argv);
  const machine = describeMachine();
  const peak = measurePeak();
  process.stderr.write(`FMA peak: ${'error' in peak ? peak.error : `${peak.gflops.toFixed(0)} GFLOP/s`}\n`);
  const outcomes: JobOutcome[] = [];
  for (const job of plan(opts)) {
    process.stderr.write(`${BACKEND_LABELS[job.backend]}, ${job.workload}:\n`);
    const started = performance.now();
    const outcome = job.backend === 'torch-cpu' ? await runTorchJob(job, opts.python, opts.timeoutSeconds) : await runNodeJob(job, opts.timeoutSeconds);
    process.stderr.write(`  ${outcome.ok ? 'done' : `FAILED: ${outcome.error}`} in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
    outcomes.push(outcome);
  }
  const section = renderReport({ machine, peak, options: describeOptions(opts), outcomes });
  writeFileSync(fileURLToPath(new URL('./results.json', import.meta.url)), JSON.stringify({ machine, peak, outcomes }, null, 2));
  writeSection(opts.out, section);
  console.log(section);
  console.log(`\nwritten to ${opts.out}`);
}
