// Workload A, the book's MNIST run, timed the same way for every framework: each run is one `fit` call of
// one epoch (or of the first `steps` batches) over the training rows in a seeded order that is the same for
// every framework; the permuted copy is made before the clock starts, and `fit` does not shuffle.
// The clock covers the whole `fit` call, which returns after the device has finished.
import { batchOrder } from './data.ts';
import { mapSummary, summarize, type Summary } from './stats.ts';

export const BATCH_SIZE = 128;
/** The book trains 5 epochs; test accuracy is taken after the 5th. */
export const ACCURACY_EPOCHS = 5;

/** One framework's book network and data, driven by `timeTraining`. */
export interface Trainer {
  readonly trainSamples: number;
  /** Puts the training rows `order` (in that order) where the next `fit` reads them; not timed. */
  stage(order: Int32Array): Promise<void>;
  /** One epoch over the staged rows: batch 128, no shuffling. Returns when the device has finished. */
  fit(): Promise<void>;
  testAccuracy(): Promise<number>;
}

/** Counters read around each timed run (mapAsync calls, time in matmul kernels …). */
export interface Probe {
  begin(): void;
  end(): Record<string, number>;
}

export interface TrainingOptions {
  /** 0: time whole epochs; N: time the first N batches of an epoch; 'auto': whole epochs when they fit the budget. */
  readonly steps: number | 'auto';
  /** Timed runs after the warm-up. */
  readonly runs: number;
  /** Seconds of training a job may take when steps is 'auto'. */
  readonly budgetSeconds: number;
}

/** The raw timings of one job; `trainingResult` summarizes them (PyTorch's script reports the same fields). */
export interface TrainingTimes {
  readonly trainSamples: number;
  /** Samples per timed run: the whole epoch, or the first steps × 128. */
  readonly rows: number;
  readonly seconds: readonly number[];
  readonly testAccuracy?: number;
  readonly probes?: Record<string, number[]>;
}

export interface TrainingResult {
  readonly stepsPerRun: number;
  readonly fullEpochs: boolean;
  readonly runSeconds: Summary;
  readonly samplesPerSecond: Summary;
  /** Seconds per 60,000-sample epoch: measured (full epochs) or extrapolated from the steps timed. */
  readonly epochSeconds: Summary;
  /** After 5 full epochs; absent when only steps were timed. */
  readonly testAccuracy?: number;
  /** Each probe counter per timed run. */
  readonly probes: Record<string, number[]>;
}

/** Steps of the warm-up run, which also estimates the epoch's time for 'auto'. */
const WARMUP_STEPS = 5;

const log = (line: string): void => void process.stderr.write(`${line}\n`);

export function trainingResult(t: TrainingTimes): TrainingResult {
  const runSeconds = summarize(t.seconds);
  return {
    stepsPerRun: Math.ceil(t.rows / BATCH_SIZE),
    fullEpochs: t.rows === t.trainSamples,
    runSeconds,
    samplesPerSecond: mapSummary(runSeconds, (s) => t.rows / s),
    epochSeconds: mapSummary(runSeconds, (s) => (s * t.trainSamples) / t.rows),
    testAccuracy: t.testAccuracy,
    probes: t.probes ?? {},
  };
}

/** Rows per timed run: the whole epoch when it fits, else as many batches as the budget allows. */
function rowsToTime(opts: TrainingOptions, n: number, warmupSeconds: number): number {
  if (opts.steps !== 'auto') return opts.steps === 0 ? n : Math.min(n, opts.steps * BATCH_SIZE);
  const stepSeconds = warmupSeconds / WARMUP_STEPS;
  const epochSteps = Math.ceil(n / BATCH_SIZE);
  if (stepSeconds * epochSteps * Math.max(ACCURACY_EPOCHS, opts.runs + 1) <= opts.budgetSeconds) return n;
  const steps = Math.floor(opts.budgetSeconds / (opts.runs * stepSeconds));
  return Math.min(n, Math.max(WARMUP_STEPS, steps) * BATCH_SIZE);
}

/**
 * A warm-up of 5 steps (compiles, allocates, and times a step), then `runs` timed runs. With whole epochs the
 * first epoch is untimed too, and the test accuracy is taken after the 5th epoch (the warm-up's 5 steps come
 * before them).
 */
export async function timeTraining(trainer: Trainer, opts: TrainingOptions, probe?: Probe): Promise<TrainingResult> {
  const n = trainer.trainSamples;
  const run = async (index: number, rows: number): Promise<number> => {
    await trainer.stage(batchOrder(n, index).subarray(0, rows));
    const start = performance.now();
    await trainer.fit();
    return (performance.now() - start) / 1000;
  };
  const warmup = await run(0, WARMUP_STEPS * BATCH_SIZE);
  const rows = rowsToTime(opts, n, warmup);
  const fullEpochs = rows === n;
  log(`  warm-up (${WARMUP_STEPS} steps): ${warmup.toFixed(2)} s; timing ${fullEpochs ? 'whole epochs' : `${rows / BATCH_SIZE} steps per run`}`);
  const totalRuns = fullEpochs ? Math.max(ACCURACY_EPOCHS, opts.runs + 1) : opts.runs;
  const firstTimed = fullEpochs ? 1 : 0;
  const seconds: number[] = [];
  const probes: Record<string, number[]> = {};
  let testAccuracy: number | undefined;
  for (let i = 0; i < totalRuns; i++) {
    const timed = i >= firstTimed && seconds.length < opts.runs;
    if (timed) probe?.begin();
    const elapsed = await run(i + 1, rows);
    if (timed) {
      seconds.push(elapsed);
      for (const [name, value] of Object.entries(probe?.end() ?? {})) (probes[name] ??= []).push(value);
    }
    log(`  ${fullEpochs ? 'epoch' : 'run'} ${i + 1}/${totalRuns}: ${elapsed.toFixed(2)} s${timed ? '' : ' (not timed)'}`);
    if (fullEpochs && i + 1 === ACCURACY_EPOCHS) testAccuracy = await trainer.testAccuracy();
  }
  return trainingResult({ trainSamples: n, rows, seconds, testAccuracy, probes });
}
