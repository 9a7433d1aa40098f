// The training workloads (the book's MNIST network, the convnet, the LSTM), timed the same way for every
// framework: each run is one `fit` call of one epoch (or of the first `steps` batches) over the training rows
// in a seeded order that is the same for every framework; the permuted copy is made before the clock
// starts, and `fit` does not shuffle.
// The clock covers the whole `fit` call, which returns after the device has finished.
import { batchOrder } from './data.ts';
import { mapSummary, summarize, type Summary } from './stats.ts';

/** The book's MNIST network's batch size. */
export const BATCH_SIZE = 128;
/** The book trains 5 epochs; test accuracy is taken after the 5th. */
export const ACCURACY_EPOCHS = 5;

/** One framework's network and data for one workload, driven by `timeTraining`. */
export interface Trainer {
  readonly trainSamples: number;
  readonly batchSize: number;
  /** Puts the training rows `order` (in that order) where the next `fit` reads them; not timed. */
  stage(order: Int32Array): Promise<void>;
  /** One epoch over the staged rows, no shuffling. Returns when the device has finished. */
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
  /** Steps of the warm-up run, which also estimates a step's time for 'auto'. */
  readonly warmupSteps: number;
  /** Seconds of training a job may take when steps is 'auto'. */
  readonly budgetSeconds: number;
}

/** The raw timings of one job; `trainingResult` summarizes them (PyTorch's script reports the same fields). */
export interface TrainingTimes {
  readonly trainSamples: number;
  readonly batchSize: number;
  /** Samples per timed run: the whole epoch, or the first steps × batch size. */
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
  readonly batchSize: number;
  /** Seconds per 60,000-sample epoch: measured (full epochs) or extrapolated from the steps timed. */
  readonly epochSeconds: Summary;
  /** After 5 full epochs; absent when only steps were timed. */
  readonly testAccuracy?: number;
  /** Each probe counter per timed run. */
  readonly probes: Record<string, number[]>;
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

export function trainingResult(t: TrainingTimes): TrainingResult {
  const runSeconds = summarize(t.seconds);
  return {
    stepsPerRun: Math.ceil(t.rows / t.batchSize),
    batchSize: t.batchSize,
    fullEpochs: t.rows === t.trainSamples,
    runSeconds,
    samplesPerSecond: mapSummary(runSeconds, (s) => t.rows / s),
    epochSeconds: mapSummary(runSeconds, (s) => (s * t.trainSamples) / t.rows),
    testAccuracy: t.testAccuracy,
    probes: t.probes ?? {},
  };
}

/**
 * Rows per timed run and the number of runs: whole epochs when they fit, else as many batches as the budget
 * allows over `runs` runs (at least one batch; fewer runs when even one batch a run does not fit).
 */
function planRuns(opts: TrainingOptions, n: number, batch: number, warmupSeconds: number): { rows: number; runs: number } {
  if (opts.steps !== 'auto') return { rows: opts.steps === 0 ? n : Math.min(n, opts.steps * batch), runs: opts.runs };
  const stepSeconds = warmupSeconds / opts.warmupSteps;
  const epochSteps = Math.ceil(n / batch);
  if (stepSeconds * epochSteps * Math.max(ACCURACY_EPOCHS, opts.runs + 1) <= opts.budgetSeconds) return { rows: n, runs: opts.runs };
  const runs = Math.max(1, Math.min(opts.runs, Math.floor(opts.budgetSeconds / stepSeconds)));
  const steps = Math.floor(opts.budgetSeconds / (runs * stepSeconds));
  return { rows: Math.min(n, Math.max(1, steps) * batch), runs };
}

/**
 * A warm-up of `warmupSteps` steps (compiles, allocates, and times a step), then `runs` timed runs. With whole epochs the
 * first epoch is untimed too, and the test accuracy is taken after the 5th epoch (the warm-up's steps come
 * before them).
 */
export async function timeTraining(trainer: Trainer, opts: TrainingOptions, probe?: Probe): Promise<TrainingResult> {
  const [n, batch] = [trainer.trainSamples, trainer.batchSize];
  /** Stages run `index`'s rows, then times its fit; the probe (when given) brackets the fit alone. */
  const run = async (index: number, rows: number, runProbe?: Probe): Promise<{ seconds: number; counters: Record<string, number> }> => {
    await trainer.stage(batchOrder(n, index).subarray(0, rows));
    runProbe?.begin();
    const start = performance.now();
    await trainer.fit();
    const seconds = (performance.now() - start) / 1000;
    return { seconds, counters: runProbe?.end() ?? {} };
  };
  const { seconds: warmup } = await run(0, opts.warmupSteps * batch);
  const { rows, runs } = planRuns(opts, n, batch, warmup);
  const fullEpochs = rows === n;
  log(`  warm-up (${opts.warmupSteps} steps): ${warmup.toFixed(2)} s; timing ${fullEpochs ? 'whole epochs' : `${runs} × ${Math.ceil(rows / batch)} steps`}`);
  const totalRuns = fullEpochs ? Math.max(ACCURACY_EPOCHS, runs + 1) : runs;
  const firstTimed = fullEpochs ? 1 : 0;
  const seconds: number[] = [];
  const probes: Record<string, number[]> = {};
  let testAccuracy: number | undefined;
  for (let i = 0; i < totalRuns; i++) {
    const timed = i >= firstTimed && seconds.length < runs;
    const { seconds: elapsed, counters } = await run(i + 1, rows, timed ? probe : undefined);
    if (timed) {
      seconds.push(elapsed);
      for (const [name, value] of Object.entries(counters)) (probes[name] ??= []).push(value);
    }
    log(`  ${fullEpochs ? 'epoch' : 'run'} ${i + 1}/${totalRuns}: ${elapsed.toFixed(2)} s${timed ? '' : ' (not timed)'}`);
    if (fullEpochs && i + 1 === ACCURACY_EPOCHS) testAccuracy = await trainer.testAccuracy();
  }
  return trainingResult({ trainSamples: n, batchSize: batch, rows, seconds, testAccuracy, probes });
}
