import { DeviceLostError, getBackend, randomSeed, tidy, dispose } from '@strata/core';
import { z } from 'zod';
import { CallbackList, type CallbackHooks, type Logs } from '../callbacks/callback.ts';
import { History } from '../callbacks/history.ts';
import type { TrainableModel } from '../graph/model-api.ts';
import { compiledMetrics, metricNames, type Compiled } from './compile.ts';
import { BatchReader, isBatchStream, type BatchStream } from './batch-stream.ts';
import { checkInputs, checkLabels, splitValidation, type ModelData } from './data.ts';
import { WeightSnapshot } from './device-loss.ts';
import { assertFiniteInputs } from './finite.ts';
import { evaluateBatches } from './evaluate.ts';
import { streamBatches, streamSteps, streamTraining, tensorBatches, tensorTraining, type EpochBatches, type TrainingData } from './epoch-batches.ts';
import { NonFiniteLossError } from './non-finite-loss.ts';
import { logSink, parseOptions, positiveInt, verbosity } from './options.ts';
import { Progbar, sortLogs } from './progress.ts';
import { RunningMeans } from './running-means.ts';
import { checkClassWeight, resolveSampleWeights } from './sample-weight.ts';
import { StepGuard } from './step-guard.ts';
import { trainStep } from './step.ts';

const FitOptions = z.strictObject({
  epochs: positiveInt.default(1),
  batchSize: positiveInt.default(32),
  shuffle: z.boolean().default(true),
  validationSplit: z.number().min(0).lt(1).default(0),
  validationData: z.union([z.tuple([z.unknown(), z.unknown()]), z.custom<BatchStream>(isBatchStream, 'expected [x, y] or a stream of batches')]).optional(),
  /** Batches per epoch from a stream (default: a Dataset's length; a generator of unknown length needs it). */
  stepsPerEpoch: positiveInt.optional(),
  /** Batches of a validation stream per evaluation (default: its length). */
  validationSteps: positiveInt.optional(),
  callbacks: z.array(z.custom<CallbackHooks>((v) => typeof v === 'object' && v !== null, 'expected a callback object')).default([]),
  verbose: verbosity.default(1),
  initialEpoch: z.number().int().min(0).default(0),
  seed: z.number().int().optional(),
  log: logSink.optional(),
  /** Check the inputs for NaN/±Infinity before the first step (one device reduction per input). */
  checkFinite: z.boolean().default(false),
  /** Keras's `sample_weight`: per-sample loss weights (one tensor, or per output), also for `weightedMetrics`. */
  sampleWeight: z.unknown().optional(),
  /** Keras's `class_weight`: `{classIndex: weight}` for a one-output model (classes left out weigh 1). */
  classWeight: z.unknown().optional(),
});

export type FitOptions = z.input<typeof FitOptions> & {
  validationData?: [ModelData, ModelData] | BatchStream;
  callbacks?: CallbackHooks[];
  sampleWeight?: ModelData;
  classWeight?: Record<number, number>;
};

/** Wall time between asynchronous read-backs of the running loss/metrics (progress bar, NaN check). */
const READ_INTERVAL_MS = 100;
/** Wall time between yields to the event loop. */
const YIELD_INTERVAL_MS = 20;

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));

/**
 * Keras's `fit`. Everything is validated before the first step. Each step runs in one `tidy`: the batch
 * is gathered on the device from the dataset (shuffled indices as int32), then forward, loss, gradients
 * and the optimizer update; loss and metric sums stay on the device and are read back asynchronously
 * about every 100 ms (progress bar, NaN check) and at each epoch's end, never once per step.
 */
export async function fitModel(model: TrainableModel, compiled: Compiled, x: ModelData | BatchStream, y: ModelData | undefined, options: FitOptions): Promise<History> {
  const opts = parseOptions(FitOptions, options, 'fit');
  if (isBatchStream(x)) return fitStream(model, compiled, x as BatchStream, y, opts);
  const inputs = checkInputs(model, x, y, 'fit');
  await checkLabels(model, compiled, inputs, 'fit');
  const weights = resolveSampleWeights(opts.sampleWeight, opts.classWeight, inputs.y, model.outputNames, 'fit');
  const data = weights ? { ...inputs, w: weights } : inputs;
  const valStream = isBatchStream(opts.validationData) ? (opts.validationData as BatchStream) : undefined;
  const valPair = valStream ? undefined : (opts.validationData as [unknown, unknown] | undefined);
  const given = valPair && checkInputs(model, valPair[0], valPair[1], 'fit (validationData)');
  if (given) await checkLabels(model, compiled, given, 'fit (validationData)');
  if (opts.checkFinite) await assertFiniteInputs(data, model.inputNames, 'fit');
  if (opts.checkFinite && given) await assertFiniteInputs(given, model.inputNames, 'fit (validationData)');
  if (opts.initialEpoch >= opts.epochs) throw new Error(`fit: initialEpoch ${opts.initialEpoch} must be less than epochs ${opts.epochs}`);
  const split = !given && opts.validationSplit > 0 ? splitValidation(data, opts.validationSplit) : undefined;
  try {
    const train = split?.train ?? data;
    const val = split?.val ?? given;
    model.graphFor(data.x.map((t) => t.shape.slice(1)));
    const training = tensorTraining(train, opts.batchSize, opts.shuffle, opts.seed ?? randomSeed());
    return await trainEpochs(model, compiled, training, val ? () => tensorBatches(val, opts.batchSize) : validationStream(model, compiled, valStream, opts), opts);
  } finally {
    if (split) dispose([split.train, split.val].flatMap((d) => [...d.x, ...d.y, ...(d.w ?? [])]).filter((t) => t !== undefined));
    if (opts.classWeight !== undefined) dispose(weights?.filter((t) => t !== undefined) ?? []);
  }
}

type ParsedFitOptions = z.output<typeof FitOptions>;

/** fit on a stream of [x, y(, sampleWeight)] batches (a generator, iterable or Dataset), read one batch ahead. */
async function fitStream(model: TrainableModel, compiled: Compiled, x: BatchStream, y: unknown, opts: ParsedFitOptions): Promise<History> {
  if (y !== undefined) throw new Error('fit: x is a stream of [x, y] batches, so y must not be given (put the targets in the batches)');
  if (opts.validationSplit > 0) throw new Error('fit: validationSplit needs tensors; with a stream of batches give validationData (tensors or a stream) instead');
  if (opts.sampleWeight !== undefined) throw new Error('fit: with a stream of batches, give sample weights in the batches ([x, y, sampleWeight])');
  if (opts.initialEpoch >= opts.epochs) throw new Error(`fit: initialEpoch ${opts.initialEpoch} must be less than epochs ${opts.epochs}`);
  const steps = streamSteps(x, opts.stepsPerEpoch, 'stepsPerEpoch', 'fit');
  const classWeight = opts.classWeight === undefined ? undefined : checkClassWeight(opts.classWeight, model.outputNames.length, 'fit');
  const valPair = isBatchStream(opts.validationData) ? undefined : (opts.validationData as [unknown, unknown] | undefined);
  const given = valPair && checkInputs(model, valPair[0], valPair[1], 'fit (validationData)');
  if (given) await checkLabels(model, compiled, given, 'fit (validationData)');
  const val = given ? () => tensorBatches(given, opts.batchSize) : validationStream(model, compiled, isBatchStream(opts.validationData) ? (opts.validationData as BatchStream) : undefined, opts);
  const training = streamTraining(model, compiled, x, steps, { where: 'fit', ...(classWeight ? { classWeight } : {}) });
  try {
    return await trainEpochs(model, compiled, training, val, opts);
  } finally {
    await training.close();
  }
}

/** Each evaluation of a validation stream: validationSteps batches (or its length), read one ahead. */
function validationStream(model: TrainableModel, compiled: Compiled, stream: BatchStream | undefined, opts: ParsedFitOptions): (() => EpochBatches) | undefined {
  if (!stream) return undefined;
  const steps = streamSteps(stream, opts.validationSteps, 'validationSteps', 'fit (validationData)');
  const reader = new BatchReader(stream);
  return () => streamBatches(model, compiled, reader, steps, { where: 'fit (validationData)' }, { checked: false });
}

async function trainEpochs(model: TrainableModel, compiled: Compiled, train: TrainingData, val: (() => EpochBatches) | undefined, opts: ParsedFitOptions): Promise<History> {
  const params = { epochs: opts.epochs, steps: train.steps, verbose: opts.verbose };
  const history = new History();
  const callbacks = new CallbackList([...opts.callbacks, history], model, params);
  const names = metricNames(compiled);
  model.stopTraining = false;
  const snapshot = new WeightSnapshot();
  await snapshot.take(model, opts.initialEpoch);
  await callbacks.trainBegin();
  // a callback that restored a backup (BackupAndRestore) says where to resume
  const first = callbacks.resumeEpoch() ?? opts.initialEpoch;
  for (let epoch = first; epoch < opts.epochs && !model.stopTraining; epoch++) {
    await callbacks.epochBegin(epoch);
    const progress = new Progbar(train.steps, opts.verbose, opts.log);
    if (opts.epochs > 1) progress.message(`Epoch ${epoch + 1}/${opts.epochs}`);
    const means = new RunningMeans(names, compiledMetrics(compiled));
    const data = train.epoch(epoch);
    const guard = new StepGuard();
    const context: EpochContext = { model, compiled, data, batches: data.ranges, shuffled: data.shuffled, guard, means, progress, callbacks, epoch, stepsDone: 0 };
    try {
      const steps = await runEpoch(context);
      const [trainLogs, bad] = await Promise.all([means.read(), guard.firstBadStep()]);
      if (bad !== undefined) throw await rejectedStep(context, bad);
      assertFiniteLoss(trainLogs, epoch, steps, train.steps);
      const valLogs = val ? prefixed('val_', await evaluateBatches(model, compiled, val())) : {};
      await snapshot.take(model, epoch + 1);
      const logs = sortLogs({ ...trainLogs, ...valLogs });
      await callbacks.epochEnd(epoch, logs);
      progress.update(steps, logs, true);
    } catch (err) {
      if (err instanceof DeviceLostError) throw await snapshot.restore(model, compiled, err, epoch, context.stepsDone, train.steps);
      if (!(err instanceof NonFiniteLossError && callbacks.stopsOnNonFiniteLoss())) throw err;
      await callbacks.epochEnd(epoch, { loss: Number.NaN }); // TerminateOnNaN: stop quietly, as Keras
      model.stopTraining = true;
    } finally {
      means.dispose();
      data.dispose();
      guard.dispose();
    }
  }
  compiled.optimizer.finalizeVariableValues(model.trainableWeights); // with useEma: the moving averages, as Keras
  await callbacks.trainEnd();
  return history;
}

interface EpochContext {
  model: TrainableModel;
  compiled: Compiled;
  /** This epoch's batches (tensors gathered on the device, or a stream's). */
  data: EpochBatches;
  batches: Array<[number, number]>;
  /** This epoch's sample order (host copy, to name a rejected batch's samples) and on the device. */
  shuffled: Int32Array | undefined;
  /** Keeps non-finite steps from updating the model; read with the running means. */
  guard: StepGuard;
  means: RunningMeans;
  progress: Progbar;
  callbacks: CallbackList;
  epoch: number;
  /** Steps run so far (named by the error when the device is lost). */
  stepsDone: number;
}

/** The steps of one epoch; returns how many ran (fewer when `model.stopTraining` is set mid-epoch). */
async function runEpoch(c: EpochContext): Promise<number> {
  const batchHooks = c.callbacks.hasBatchHooks();
  let latest: Logs = {};
  let pending: Promise<void> | undefined;
  let failure: Error | undefined;
  let rejected: number | undefined;
  let lastRead = performance.now();
  let lastYield = lastRead;
  let step = 0;
  while (step < c.data.steps && (await c.data.next(step))) {
    const [start, stop] = c.batches[step];
    if (batchHooks) await c.callbacks.batchBegin(step, { batch: step, size: stop - start });
    tidy(() => {
      const b = c.data.take(step);
      c.means.update(trainStep(c.model, c.compiled, b.x, b.y, c.guard, b.w), stop - start);
    });
    c.data.release(step);
    getBackend().flush();
    c.stepsDone = ++step;
    const now = performance.now();
    // The first step is read and awaited (one short wait per epoch): progress bars and batch callbacks
    // start with the first batch's loss even when the host would queue the whole epoch within 100 ms.
    if (step === 1 || now - lastRead >= READ_INTERVAL_MS) {
      // one read in flight at most: waiting for the previous one also keeps the device queue short
      if (pending) await pending;
      lastRead = now;
      const readAt = step;
      pending = Promise.all([c.means.read(), c.guard.firstBadStep()]).then(([values, bad]) => {
        latest = sortLogs(values);
        rejected = bad;
        if (bad !== undefined) return;
        try {
          assertFiniteLoss(latest, c.epoch, readAt, c.batches.length);
        } catch (err) {
          failure = err as Error;
        }
        c.progress.update(step, latest);
      }, (err: unknown) => {
        failure = err as Error; // e.g. the device was lost: rethrown below, never left unhandled
      });
      if (step === 1) await pending;
    }
    if (now - lastYield >= YIELD_INTERVAL_MS) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
    if (failure || rejected !== undefined) break;
    if (batchHooks) await c.callbacks.batchEnd(step - 1, { batch: step - 1, size: stop - start, ...latest });
    if (c.model.stopTraining) break;
  }
  await pending;
  if (rejected !== undefined) throw await rejectedStep(c, rejected);
  if (failure) throw failure;
  return step;
}

/** Samples named in full up to this many; longer batches are cut short. */
const NAMED_SAMPLES = 32;

/**
 * The error for the first step the guard rejected. The optimizer's host step count is put back to the
 * device's (the steps from the rejected one on changed nothing), so the model is exactly as after the
 * last good step and training can resume from there.
 */
async function rejectedStep(c: EpochContext, bad: number): Promise<Error> {
  await c.compiled.optimizer.syncIterations();
  const [start, stop] = c.batches[bad - 1];
  const samples = c.shuffled ? Array.from(c.shuffled.subarray(start, stop)) : Array.from({ length: stop - start }, (_, i) => start + i);
  const named = samples.slice(0, NAMED_SAMPLES).join(', ') + (samples.length > NAMED_SAMPLES ? `, … (${samples.length} in all)` : '');
  const before = bad > 1 ? `as after step ${bad - 1}` : c.epoch > 0 ? `as after epoch ${c.epoch}` : 'as before this fit';
  return new NonFiniteLossError(
    `fit: the loss, a gradient or an updated weight was not finite (NaN or Infinity) in epoch ${c.epoch + 1}, step ${bad}/${c.batches.length}, ` +
      `the batch of samples [${named}] of x; training stopped. No update was applied from that step on: ` +
      `the weights and optimizer state are ${before}. Check those samples for NaN/Inf or huge values ` +
      `(fit's checkFinite: true names the first non-finite row), or lower the learning rate.`,
  );
}

function prefixed(prefix: string, logs: Logs): Logs {
  return Object.fromEntries(Object.entries(logs).map(([k, v]) => [prefix + k, v]));
}

/** NaN/Inf losses are found when sums are read back (every ~100 ms and at epoch end), not per step. */
function assertFiniteLoss(logs: Logs, epoch: number, step: number, steps: number): void {
  if (logs.loss === undefined || Number.isFinite(logs.loss)) return;
  throw new NonFiniteLossError(
    `fit: the loss became ${logs.loss} in epoch ${epoch + 1}, at or before step ${step}/${steps} ` +
      `(losses are read back from the device periodically, not after every step); training stopped. ` +
      `Check the inputs for NaN/Inf values or lower the learning rate.`,
  );
}
