// Runs each job in its own process and turns whatever happens (a result, a crash, a timeout) into an outcome.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { batchOrder, mnistDir } from './data.ts';
import { BOOK_WORKLOADS, isTraining, networkOf, type Job, type JobOutcome, type JobOutput, type Network } from './jobs.ts';
import { POINT_PLAN, scalingShapes, type ScalingPoint } from './scaling.ts';
import { mapSummary, summarize } from './stats.ts';
import { ACCURACY_EPOCHS, trainingResult, type TrainingOptions, type TrainingTimes } from './training.ts';

/** Lines of a failed child's output kept for the report. */
const TAIL_LINES = 3;

/** Runs `command`, echoing its output indented; resolves with the exit code, the output's last lines and its error line. */
function runProcess(command: string, args: readonly string[], timeoutSeconds: number): Promise<{ code: number | null; tail: string[] }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const lines: string[] = [];
    const echo = (chunk: Buffer): void => {
      for (const line of chunk.toString().split('\n').filter((l) => l.trim() !== '')) {
        lines.push(line);
        process.stderr.write(`    ${line}\n`);
      }
    };
    child.stdout.on('data', echo);
    child.stderr.on('data', echo);
    const timer = setTimeout(() => {
      lines.push(`timed out after ${timeoutSeconds} s`);
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    child.on('error', (err) => lines.push(err.message));
    child.on('close', (code) => {
      clearTimeout(timer);
      // A Node stack's message line comes first, so it is kept even when the frames fill the tail.
      const message = lines.find((l) => /^\s*\w*Error\b.*:/.test(l));
      const tail = lines.slice(-TAIL_LINES);
      resolve({ code, tail: message && !tail.includes(message) ? [message, ...tail] : tail });
    });
  });
}

async function inTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'strata-bench-'));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function outcome(job: Job, command: string, args: (resultFile: string) => string[], timeoutSeconds: number, read: (json: string) => JobOutput): Promise<JobOutcome> {
  return inTempDir(async (dir) => {
    const resultFile = join(dir, 'result.json');
    const { code, tail } = await runProcess(command, args(resultFile), timeoutSeconds);
    if (code === 0 && existsSync(resultFile)) return { job, ok: true, output: read(readFileSync(resultFile, 'utf8')) };
    return { job, ok: false, error: `exit ${code ?? 'killed'}: ${tail.join(' / ') || 'no output'}` };
  });
}

/** A Node job: this same bundle started as `child`. */
export function runNodeJob(job: Job, timeoutSeconds: number): Promise<JobOutcome> {
  const bundle = fileURLToPath(import.meta.url);
  return outcome(job, process.execPath, (file) => [bundle, 'child', JSON.stringify(job), file], timeoutSeconds, (json) => JSON.parse(json) as JobOutput);
}

interface TorchOutput {
  training?: TrainingTimes;
  kernels?: { name: string; unit: 'GFLOP/s' | 'GB/s'; work: number; seconds: number[] }[];
  scaling?: ScalingPoint[];
  peakRssMiB: number;
}

/** The training options as PyTorch's models.py takes them: steps (N or auto), runs, budget seconds, warm-up steps. */
const trainingArgs = (o: TrainingOptions): string[] => [String(o.steps), String(o.runs), String(o.budgetSeconds), String(o.warmupSteps)];

/** models.py's name of a training workload's network. */
const TORCH_MODELS: Readonly<Record<Network, string>> = { training: 'book', convnet: 'convnet', lstm: 'lstm' };

/** The script for `job` and its arguments after the data directory and the orders file. */
function torchScript(job: Job): { script: string; args: string[] } {
  const w = job.workload;
  if (BOOK_WORKLOADS.includes(w)) return { script: 'book.py', args: [String(job.runs)] };
  if (w === 'scaling') {
    const shapes = scalingShapes().map((s) => `${s.hidden}:${s.batch}`).join(',');
    return { script: 'scaling.py', args: [shapes, ...[POINT_PLAN.warmupSteps, POINT_PLAN.sizingSteps, POINT_PLAN.seconds, POINT_PLAN.minSteps, POINT_PLAN.maxSteps].map(String)] };
  }
  if (!isTraining(w)) throw new Error(`torch: no script for the ${w} workload`);
  return { script: 'models.py', args: [TORCH_MODELS[networkOf(w)], ...trainingArgs(job.training)] };
}

/**
 * PyTorch with the same batch orders, given as a file: torch/book.py measures both book workloads in one
 * process (one outcome for each), torch/models.py the convnet, the LSTM or the contended book network,
 * torch/scaling.py the scaling points (it reads no orders file: its points train on the first rows in order).
 */
export async function runTorchJob(job: Job, python: string, timeoutSeconds: number): Promise<JobOutcome[]> {
  const book = BOOK_WORKLOADS.includes(job.workload);
  const { script, args } = torchScript(job);
  const path = fileURLToPath(new URL(`../torch/${script}`, import.meta.url));
  const result = await inTempDir(async (dir) => {
    const n = 60000;
    const orders = Array.from({ length: Math.max(ACCURACY_EPOCHS, job.runs + 1) + 1 }, (_, i) => batchOrder(n, i));
    const ordersFile = join(dir, 'orders.bin');
    writeFileSync(ordersFile, Buffer.concat(orders.map((o) => Buffer.from(o.buffer))));
    const inputs = job.workload === 'scaling' ? [mnistDir()] : [mnistDir(), ordersFile];
    return outcome(job, python, (file) => [path, ...inputs, ...args, file], timeoutSeconds, (json) => {
      const out = JSON.parse(json) as TorchOutput;
      return {
        training: out.training && trainingResult(out.training),
        kernels: out.kernels?.map((k) => ({ name: k.name, unit: k.unit, rate: mapSummary(summarize(k.seconds), (s) => k.work / s / 1e9) })),
        scaling: out.scaling,
        peakRssMiB: out.peakRssMiB,
      };
    });
  });
  if (!book) return [result];
  // One outcome per book workload, each holding its own part of the script's output.
  return BOOK_WORKLOADS.map((workload) => {
    const forJob = { ...job, workload };
    if (!result.ok) return { ...result, job: forJob };
    const { training, kernels, peakRssMiB } = result.output;
    return { job: forJob, ok: true, output: workload === 'kernels' ? { kernels, peakRssMiB } : { training, peakRssMiB } };
  });
}
