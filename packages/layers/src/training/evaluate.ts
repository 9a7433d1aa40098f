import { tidy } from '@strata/core';
import { z } from 'zod';
import type { Logs } from '../callbacks/callback.ts';
import type { TrainableModel } from '../graph/model-api.ts';
import { compiledMetrics, metricNames, type Compiled } from './compile.ts';
import { BatchReader, isBatchStream, type BatchStream } from './batch-stream.ts';
import { checkInputs, checkLabels, type ModelData } from './data.ts';
import { streamBatches, streamSteps, tensorBatches, type EpochBatches } from './epoch-batches.ts';
import { assertFiniteInputs } from './finite.ts';
import { logSink, parseOptions, positiveInt, verbosity } from './options.ts';
import { Progbar, sortLogs } from './progress.ts';
import { RunningMeans } from './running-means.ts';
import { resolveSampleWeights } from './sample-weight.ts';
import { testStep } from './step.ts';

const EvaluateOptions = z.strictObject({
  batchSize: positiveInt.default(32),
  verbose: verbosity.default(1),
  returnDict: z.boolean().default(false),
  log: logSink.optional(),
  /** Check the inputs for NaN/±Infinity first (one device reduction per input); by default NaN in, NaN out. */
  checkFinite: z.boolean().default(false),
  /** Keras's `sample_weight`: per-sample loss weights (one tensor, or per output), also for `weightedMetrics`. */
  sampleWeight: z.unknown().optional(),
  /** Batches to evaluate from a stream (default: a Dataset's length). */
  steps: positiveInt.optional(),
});

export type EvaluateOptions = z.input<typeof EvaluateOptions> & { sampleWeight?: ModelData };

/** Loss and metric means over batches in inference mode; one read-back at the end. */
export async function evaluateBatches(model: TrainableModel, compiled: Compiled, batches: EpochBatches, progress?: Progbar): Promise<Logs> {
  const means = new RunningMeans(metricNames(compiled), compiledMetrics(compiled));
  try {
    let step = 0;
    for (; step < batches.steps && (await batches.next(step)); step++) {
      const [start, stop] = batches.ranges[step];
      tidy(() => {
        const b = batches.take(step);
        means.update(testStep(model, compiled, b.x, b.y, b.w), stop - start);
      });
      batches.release(step);
    }
    const logs = await means.read();
    progress?.update(step, sortLogs(logs), true);
    return logs;
  } finally {
    means.dispose();
    batches.dispose();
  }
}

/** Keras's `evaluate`: `[loss, ...metrics]` in compile order, or `{loss, accuracy, …}` with `returnDict`; x may be a stream of [x, y(, w)] batches. */
export async function evaluateModel(model: TrainableModel, compiled: Compiled, x: ModelData | BatchStream, y: ModelData | undefined, options: EvaluateOptions): Promise<number[] | Logs> {
  const opts = parseOptions(EvaluateOptions, options, 'evaluate');
  let batches: EpochBatches;
  if (isBatchStream(x)) {
    if (y !== undefined) throw new Error('evaluate: x is a stream of [x, y] batches, so y must not be given (put the targets in the batches)');
    const stream = x as BatchStream;
    const steps = streamSteps(stream, opts.steps, 'steps', 'evaluate');
    batches = streamBatches(model, compiled, new BatchReader(stream), steps, { where: 'evaluate' }, { checked: false });
  } else {
    const inputs = checkInputs(model, x, y, 'evaluate');
    await checkLabels(model, compiled, inputs, 'evaluate');
    const weights = resolveSampleWeights(opts.sampleWeight, undefined, inputs.y, model.outputNames, 'evaluate');
    const data = weights ? { ...inputs, w: weights } : inputs;
    if (opts.checkFinite) await assertFiniteInputs(data, model.inputNames, 'evaluate');
    model.graphFor(data.x.map((t) => t.shape.slice(1)));
    batches = tensorBatches(data, opts.batchSize);
  }
  const progress = new Progbar(batches.steps, opts.verbose, opts.log);
  const logs = await evaluateBatches(model, compiled, batches, progress);
  return opts.returnDict ? logs : metricNames(compiled).map((name) => logs[name]);
}
