import { z } from 'zod';
import { getLoss, type Loss, type LossIdentifier } from '../losses.ts';
import { Metric, getMetric, type MetricIdentifier } from '../metrics/index.ts';
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
  metrics?: MetricsArg;
  /** Metrics weighted by fit's/evaluate's `sampleWeight` (and `classWeight`), given like `metrics` (Keras's `weighted_metrics`). */
  weightedMetrics?: MetricsArg;
}

/** A list for a one-output model; per output: a list of lists, or a record by output name. */
export type MetricsArg = MetricIdentifier[] | MetricIdentifier[][] | Record<string, MetricIdentifier | MetricIdentifier[]>;

/** What `compile` fixed for one model output. */
export interface OutputTarget {
  /** The output's name (the layer that makes it, or its key when the outputs were given as a record). */
  readonly name: string;
  readonly loss: Loss;
  readonly weight: number;
  readonly metrics: readonly Metric[];
  /** Metrics that take the sample weights. */
  readonly weightedMetrics: readonly Metric[];
}

/** What `compile` fixed: the optimizer, and per output its loss, loss weight and metrics. */
export interface Compiled {
  readonly optimizer: Optimizer;
  readonly outputs: readonly OutputTarget[];
  /** How loss/lossWeights/metrics were given, so `compile_config` is saved in the same form. */
  readonly form: { loss: 'one' | 'list' | 'record'; lossWeights: 'none' | 'list' | 'record'; metrics: MetricsForm; weightedMetrics: MetricsForm | 'none' };
}

type MetricsForm = 'list' | 'lists' | 'record';

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;
const lossItem = z.union([z.string(), z.custom<Loss>((v) => isObject(v) && 'perSample' in v && 'name' in v, 'expected a loss')]);
const metricItem = z.union([z.string(), z.custom<Metric>((v) => v instanceof Metric, 'expected a metric (a string identifier or a Metric instance)')]);
const metricsSchema = z.union([z.array(metricItem), z.array(z.array(metricItem)), z.record(z.string(), z.union([metricItem, z.array(metricItem)]))]);

const CompileSchema = z.strictObject({
  optimizer: z
    .union([z.string(), z.custom<Optimizer>((v) => isObject(v) && 'applyGradients' in v, 'expected an optimizer'), z.object({ className: z.string(), config: z.record(z.string(), z.unknown()).optional() })])
    .default('rmsprop'),
  loss: z.union([lossItem, z.array(lossItem), z.record(z.string(), lossItem)]),
  lossWeights: z.union([z.array(z.number().min(0)), z.record(z.string(), z.number().min(0))]).optional(),
  metrics: metricsSchema.default([]),
  weightedMetrics: metricsSchema.optional(),
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

const isNested = (metrics: MetricsArg): boolean => Array.isArray(metrics) && metrics.some(Array.isArray);
const metricsForm = (metrics: MetricsArg): MetricsForm => (!Array.isArray(metrics) ? 'record' : isNested(metrics) ? 'lists' : 'list');

/** `metrics` (or `weightedMetrics`) as one list per output. */
function metricsPerOutput(metrics: MetricsArg, outputNames: readonly string[], what: string): (MetricIdentifier | MetricIdentifier[] | undefined)[] {
  if (!Array.isArray(metrics)) return perOutput(metrics, outputNames, what);
  if (isNested(metrics)) return perOutput(metrics as MetricIdentifier[][], outputNames, what);
  if (outputNames.length > 1 && metrics.length) {
    throw new Error(`compile: the model has ${outputNames.length} outputs (${outputNames.join(', ')}), so ${what} must be given per output: a record such as {${outputNames[0]}: ['accuracy']} or a list of lists`);
  }
  return [metrics as MetricIdentifier[]];
}

/** fit's logs hold numbers: a metric whose result is a vector (per class or per threshold) is refused. */
function scalarMetric(metric: Metric): Metric {
  if (!metric.scalarResult) {
    throw new Error(`compile: metric "${metric.name}" (${metric.className}) gives one value per class or threshold, but fit and evaluate log one number per metric; give F1Score/FBetaScore an average ('micro', 'macro' or 'weighted'), Precision/Recall a single threshold, or call its updateState/result yourself`);
  }
  return metric;
}

/** Resolve `compile`'s arguments for a model with these output names (checked before the model changes). */
export function resolveCompile(args: CompileArgs, outputNames: readonly string[]): Compiled {
  const parsed = parseOptions(CompileSchema, args, 'compile');
  const lossForm = typeof parsed.loss === 'string' || !isObject(parsed.loss) || 'perSample' in parsed.loss ? 'one' : Array.isArray(parsed.loss) ? 'list' : 'record';
  const losses = lossForm === 'one' ? outputNames.map(() => parsed.loss as LossIdentifier) : perOutput(parsed.loss as LossIdentifier[] | Record<string, LossIdentifier>, outputNames, 'loss');
  const missingLoss = losses.findIndex((l) => l === undefined);
  if (missingLoss >= 0) throw new Error(`compile: loss has no entry for output "${outputNames[missingLoss]}"; give every output a loss (outputs: ${outputNames.join(', ')})`);
  const weights = parsed.lossWeights === undefined ? [] : perOutput(parsed.lossWeights, outputNames, 'lossWeights');
  const metricLists = metricsPerOutput(parsed.metrics, outputNames, 'metrics');
  const weightedLists = parsed.weightedMetrics === undefined ? [] : metricsPerOutput(parsed.weightedMetrics, outputNames, 'weightedMetrics');
  const outputs = outputNames.map((name, i) => {
    const loss = getLoss(losses[i] as LossIdentifier);
    const resolve = (list: MetricIdentifier | MetricIdentifier[] | undefined): Metric[] => [list ?? []].flat().map((m) => scalarMetric(getMetric(m, loss)));
    return { name, loss, weight: weights[i] ?? 1, metrics: resolve(metricLists[i]), weightedMetrics: resolve(weightedLists[i]) };
  });
  const instances = outputs.flatMap((o) => [...o.metrics, ...o.weightedMetrics]);
  const shared = instances.find((m, i) => instances.indexOf(m) !== i);
  if (shared) throw new Error(`compile: the metric object "${shared.name}" is given twice; a Metric holds state, so give each place its own instance`);
  const names = metricNamesOf(outputs);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate) throw new Error(`compile: metric name "${duplicate}" is used twice (the loss is reported as "loss")`);
  return {
    optimizer: getOptimizer(parsed.optimizer),
    outputs,
    form: {
      loss: lossForm,
      lossWeights: parsed.lossWeights === undefined ? 'none' : Array.isArray(parsed.lossWeights) ? 'list' : 'record',
      metrics: metricsForm(parsed.metrics),
      weightedMetrics: parsed.weightedMetrics === undefined ? 'none' : metricsForm(parsed.weightedMetrics),
    },
  };
}

/**
 * The names reported for a compiled model, the order of `evaluate`'s result: `loss`, then for several
 * outputs each output's loss (`digit_loss`), then the metrics (`accuracy`; `digit_accuracy` per output).
 */
function metricNamesOf(outputs: readonly OutputTarget[]): string[] {
  const prefix = (o: OutputTarget): string => (outputs.length > 1 ? `${o.name}_` : '');
  const names = outputs.flatMap((o) => o.metrics.map((m) => prefix(o) + m.name));
  // a weighted metric named like an unweighted one is logged as `weighted_<name>`, as Keras does
  const weighted = outputs.flatMap((o) => o.weightedMetrics.map((m) => (names.includes(prefix(o) + m.name) ? `${prefix(o)}weighted_${m.name}` : prefix(o) + m.name)));
  return ['loss', ...(outputs.length > 1 ? outputs.map((o) => `${o.name}_loss`) : []), ...names, ...weighted];
}

/** Every output's metrics then weighted metrics, in `metricNames` order (after the losses). */
export function compiledMetrics(compiled: Compiled): Metric[] {
  return [...compiled.outputs.flatMap((o) => o.metrics), ...compiled.outputs.flatMap((o) => o.weightedMetrics)];
}

export function metricNames(compiled: Compiled): string[] {
  return metricNamesOf(compiled.outputs);
}
