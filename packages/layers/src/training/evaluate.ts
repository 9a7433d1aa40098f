import { tidy } from '@strata/core';
import { z } from 'zod';
import type { Logs } from '../callbacks/callback.ts';
import type { TrainableModel } from '../graph/model-api.ts';
import { compiledMetrics, metricNames, type Compiled } from './compile.ts';
import { batchRanges, checkInputs, checkLabels, rows, type Dataset, type ModelData } from './data.ts';
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
});

export type EvaluateOptions = z.input<typeof EvaluateOptions> & { sampleWeight?: ModelData };

/** Loss and metric means over a dataset in inference mode; one read-back at the end. */
export async function evaluateDataset(model: TrainableModel, compiled: Compiled, data: Dataset, batchSize: number, progress?: Progbar): Promise<Logs> {
  const means = new RunningMeans(metricNames(compiled), compiledMetrics(compiled));
  try {
    const batches = batchRanges(data.x[0].shape[0], batchSize);
    for (const [start, stop] of batches) {
      tidy(() => {
        const w = data.w?.map((t) => t && rows([t], start, stop)[0]);
        means.update(testStep(model, compiled, rows(data.x, start, stop), rows(data.y, start, stop), w), stop - start);
      });
    }
    const logs = await means.read();
    progress?.update(batches.length, sortLogs(logs), true);
    return logs;
  } finally {
    means.dispose();
  }
}

/** Keras's `evaluate`: `[loss, ...metrics]` in compile order, or `{loss, accuracy, …}` with `returnDict`. */
export async function evaluateModel(model: TrainableModel, compiled: Compiled, x: ModelData, y: ModelData, options: EvaluateOptions): Promise<number[] | Logs> {
  const opts = parseOptions(EvaluateOptions, options, 'evaluate');
  const inputs = checkInputs(model, x, y, 'evaluate');
  await checkLabels(model, compiled, inputs, 'evaluate');
  const weights = resolveSampleWeights(opts.sampleWeight, undefined, inputs.y, model.outputNames, 'evaluate');
  const data = weights ? { ...inputs, w: weights } : inputs;
  if (opts.checkFinite) await assertFiniteInputs(data, model.inputNames, 'evaluate');
  model.graphFor(data.x.map((t) => t.shape.slice(1)));
  const progress = new Progbar(Math.ceil(data.x[0].shape[0] / opts.batchSize), opts.verbose, opts.log);
  const logs = await evaluateDataset(model, compiled, data, opts.batchSize, progress);
  return opts.returnDict ? logs : metricNames(compiled).map((name) => logs[name]);
}
