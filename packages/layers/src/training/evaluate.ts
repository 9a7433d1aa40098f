import { slice, tidy, type Tensor } from '@strata/core';
import { z } from 'zod';
import type { Logs } from '../callbacks/callback.ts';
import type { Sequential } from '../models/sequential.ts';
import { batchRanges, checkInputs, checkLabels, type Dataset } from './data.ts';
import { logSink, parseOptions, positiveInt, verbosity } from './options.ts';
import { Progbar, sortLogs } from './progress.ts';
import { RunningMeans } from './running-means.ts';
import { metricNames, testStep, type Compiled } from './step.ts';

const EvaluateOptions = z.strictObject({
  batchSize: positiveInt.default(32),
  verbose: verbosity.default(1),
  returnDict: z.boolean().default(false),
  log: logSink.optional(),
});

export type EvaluateOptions = z.input<typeof EvaluateOptions>;

/** Loss and metric means over a dataset in inference mode; one read-back at the end. */
export async function evaluateDataset(model: Sequential, compiled: Compiled, data: Dataset, batchSize: number, progress?: Progbar): Promise<Logs> {
  const means = new RunningMeans(metricNames(compiled));
  try {
    const batches = batchRanges(data.x.shape[0], batchSize);
    for (const [start, stop] of batches) {
      tidy(() => {
        const rows = (t: Tensor): Tensor => slice(t, [{ start, stop }]);
        means.update(testStep(model, compiled, rows(data.x), rows(data.y)), stop - start);
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
export async function evaluateModel(model: Sequential, compiled: Compiled, x: Tensor, y: Tensor, options: EvaluateOptions): Promise<number[] | Logs> {
  const opts = parseOptions(EvaluateOptions, options, 'evaluate');
  checkInputs(model, x, y, 'evaluate');
  await checkLabels(model, compiled.loss, x, y, 'evaluate');
  model.build([null, ...x.shape.slice(1)]);
  const progress = new Progbar(Math.ceil(x.shape[0] / opts.batchSize), opts.verbose, opts.log);
  const logs = await evaluateDataset(model, compiled, { x, y }, opts.batchSize, progress);
  return opts.returnDict ? logs : metricNames(compiled).map((name) => logs[name]);
}
