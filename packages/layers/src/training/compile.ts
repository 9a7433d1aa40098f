import { z } from 'zod';
import { getLoss, type Loss, type LossIdentifier } from '../losses.ts';
import { getMetric, type Metric, type MetricIdentifier } from '../metrics.ts';
import { get as getOptimizer, type Optimizer, type OptimizerIdentifier } from '../optimizers/index.ts';
import { parseOptions } from './options.ts';

/** Per-output settings given as one value for every output, a list in output order, or a record by output name. */
export type PerOutput<T> = T | T[] | Record<string, T>;

export interface CompileArgs {
  /** Default `'rmsprop'`, as in Keras. */
  optimizer?: OptimizerIdentifier;
  /** One loss for every output, or one per output (a list in output order, or a record by output name). */
  loss: PerOutput<LossIdentifier>;
  /** Factors of the per-output losses in the total `loss` (default 1 each). */
  lossWeights?: number[] | Record<string, number>;
  /** A list for a one-output model; per output: a list of lists, or a record by output name. */
  metrics?: MetricIdentifier[] | MetricIdentifier[][] | Record<string, MetricIdentifier | MetricIdentifier[]>;
}

/** What `compile` fixed for one model output. */
export interface OutputTarget {
  /** The output's name (the layer that makes it, or its key when the outputs were given as a record). */
  readonly name: string;
  readonly loss: Loss;
  readonly weight: number;
  readonly metrics: readonly Metric[];
}

/** What `compile` fixed: the optimizer, and per output its loss, loss weight and metrics. */
export interface Compiled {
  readonly optimizer: Optimizer;
  readonly outputs: readonly OutputTarget[];
  /** How loss/lossWeights/metrics were given, so `compile_config` is saved in the same form. */
  readonly form: { loss: 'one' | 'list' | 'record'; lossWeights: 'none' | 'list' | 'record'; metrics: 'list' | 'lists' | 'record' };
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;
const lossItem = z.union([z.string(), z.custom<Loss>((v) => isObject(v) && 'perSample' in v && 'name' in v, 'expected a loss')]);
const metricItem = z.union([z.string(), z.custom<Metric>((v) => isObject(v) && 'perSample' in v && 'name' in v && !Array.isArray(v), 'expected a metric')]);

const CompileSchema = z.strictObject({
  optimizer: z
    .union([z.string(), z.custom<Optimizer>((v) => isObject(v) && 'applyGradients' in v, 'expected an optimizer'), z.object({ className: z.string(), config: z.record(z.string(), z.unknown()).optional() })])
    .default('rmsprop'),
  loss: z.union([lossItem, z.array(lossItem), z.record(z.string(), lossItem)]),
  lossWeights: z.union([z.array(z.number().min(0)), z.record(z.string(), z.number().min(0))]).optional(),
  metrics: z.union([z.array(metricItem), z.array(z.array(metricItem)), z.record(z.string(), z.union([metricItem, z.array(metricItem)]))]).default([]),
});

/** `value` laid out per output: a list must have one entry per output, a record only known output names. */
function perOutput<T>(value: T[] | Record<string, T>, outputs: readonly string[], what: string): (T | undefined)[] {
  const where = `compile: ${what}`;
  if (Array.isArray(value)) {
    if (value.length !== outputs.length) throw new Error(`${where} has ${value.length} entries but the model has ${outputs.length} output${outputs.length === 1 ? '' : 's'} (${outputs.join(', ')})`);
    return value;
  }
  const unknown = Object.keys(value).find((k) => !outputs.includes(k));
  if (unknown) throw new Error(`${where} names "${unknown}", which is not an output of the model; its outputs are ${outputs.join(', ')}`);
  return outputs.map((name) => value[name]);
}

/** Resolve `compile`'s arguments for a model with these output names (checked before the model changes). */
export function resolveCompile(args: CompileArgs, outputNames: readonly string[]): Compiled {
  const parsed = parseOptions(CompileSchema, args, 'compile');
  const multi = outputNames.length > 1;
  const lossForm = typeof parsed.loss === 'string' || !isObject(parsed.loss) || 'perSample' in parsed.loss ? 'one' : Array.isArray(parsed.loss) ? 'list' : 'record';
  const losses = lossForm === 'one' ? outputNames.map(() => parsed.loss as LossIdentifier) : perOutput(parsed.loss as LossIdentifier[] | Record<string, LossIdentifier>, outputNames, 'loss');
  const missingLoss = losses.findIndex((l) => l === undefined);
  if (missingLoss >= 0) throw new Error(`compile: loss has no entry for output "${outputNames[missingLoss]}"; give every output a loss (outputs: ${outputNames.join(', ')})`);
  const weights = parsed.lossWeights === undefined ? [] : perOutput(parsed.lossWeights, outputNames, 'lossWeights');
  const nested = Array.isArray(parsed.metrics) && parsed.metrics.some(Array.isArray);
  if (Array.isArray(parsed.metrics) && !nested && multi && parsed.metrics.length) {
    throw new Error(`compile: the model has ${outputNames.length} outputs (${outputNames.join(', ')}), so metrics must be given per output: a record such as {${outputNames[0]}: ['accuracy']} or a list of lists`);
  }
  const metricLists: (MetricIdentifier | MetricIdentifier[] | undefined)[] = !Array.isArray(parsed.metrics)
    ? perOutput(parsed.metrics, outputNames, 'metrics')
    : nested
      ? perOutput(parsed.metrics as MetricIdentifier[][], outputNames, 'metrics')
      : [parsed.metrics as MetricIdentifier[]];
  const outputs = outputNames.map((name, i) => {
    const loss = getLoss(losses[i] as LossIdentifier);
    const metrics = [metricLists[i] ?? []].flat();
    return { name, loss, weight: weights[i] ?? 1, metrics: metrics.map((m) => getMetric(m, loss)) };
  });
  const names = metricNamesOf(outputs);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`compile: metric name "${duplicate}" is used twice (the loss is reported as "loss")`);
  return {
    optimizer: getOptimizer(parsed.optimizer),
    outputs,
    form: {
      loss: lossForm,
      lossWeights: parsed.lossWeights === undefined ? 'none' : Array.isArray(parsed.lossWeights) ? 'list' : 'record',
      metrics: !Array.isArray(parsed.metrics) ? 'record' : nested ? 'lists' : 'list',
    },
  };
}

/**
 * The names reported for a compiled model, the order of `evaluate`'s result: `loss`, then for several
 * outputs each output's loss (`digit_loss`), then the metrics (`accuracy`; `digit_accuracy` per output).
 */
function metricNamesOf(outputs: readonly OutputTarget[]): string[] {
  if (outputs.length === 1) return ['loss', ...outputs[0].metrics.map((m) => m.name)];
  return ['loss', ...outputs.map((o) => `${o.name}_loss`), ...outputs.flatMap((o) => o.metrics.map((m) => `${o.name}_${m.name}`))];
}

export function metricNames(compiled: Compiled): string[] {
  return metricNamesOf(compiled.outputs);
}
