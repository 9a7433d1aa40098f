import { z } from 'zod';
import type { TrainableModel } from '../graph/model-api.ts';
import { toSnakeCase } from '../identifiers.ts';
import { deserialize as deserializeLoss, type Loss } from '../losses.ts';
import { InputLayer } from '../layers/input.ts';
import type { Layer } from '../layers/layer.ts';
import type { SymbolicTensor } from '../layers/symbolic.ts';
import type { MetricIdentifier } from '../metrics/get-metric.ts';
import { metricFromKeras, metricToKeras } from '../metrics/serialize.ts';
import { registeredNameOf } from '../serialization.ts';
import type { CompileArgs, Compiled, MetricsArg } from '../training/compile.ts';
import { parseOptions } from '../training/options.ts';
import { functionalConfig, functionalFromKeras, type FunctionalBuilder } from './functional-config.ts';
import { FLOAT32_POLICY, kerasObject, kerasObjectSchema, type KerasObject, type ParsedKerasObject } from './keras-object.ts';
import { inputLayerConfig, layerFromKeras, layerToKeras } from './layer-config.ts';

type PerOutput<T> = T | T[] | Record<string, T>;
type SavedMetric = string | KerasObject;
type SavedMetrics = SavedMetric[] | SavedMetric[][] | Record<string, SavedMetric[]>;

/** Keras's `model.get_compile_config()`. */
export interface KerasCompileConfig {
  optimizer: KerasObject;
  /** A string for a loss given by name, a Keras object for a loss class (`keras.losses.Huber`, …). */
  loss: PerOutput<string | KerasObject>;
  loss_weights: number[] | Record<string, number> | null;
  metrics: SavedMetrics;
  weighted_metrics: SavedMetrics | null;
  run_eagerly: false;
  steps_per_execution: 1;
  jit_compile: true;
}

export type KerasModelConfig = KerasObject & { compile_config?: KerasCompileConfig };

/** `values` (one per output) in the form they were given: one value, a list, or a record by output name. */
function inForm<T>(values: T[], names: readonly string[], form: 'one' | 'list' | 'record' | 'lists'): PerOutput<T> {
  if (form === 'one') return values[0];
  if (form === 'record') return Object.fromEntries(names.map((n, i) => [n, values[i]]));
  return values;
}

export function compileToKeras(compiled: Compiled): KerasCompileConfig {
  const { optimizer, outputs, form } = compiled;
  const names = outputs.map((o) => o.name);
  const saved = (form: 'list' | 'lists' | 'record', metrics: SavedMetric[][]): SavedMetrics => (form === 'list' ? metrics[0] : (inForm(metrics, names, form) as SavedMetric[][] | Record<string, SavedMetric[]>));
  return {
    optimizer: kerasObject('keras.optimizers', optimizer.className, optimizer.getConfig()),
    loss: inForm(outputs.map((o) => lossToKeras(o.loss)), names, form.loss),
    loss_weights: form.lossWeights === 'none' ? null : (inForm(outputs.map((o) => o.weight), names, form.lossWeights) as number[] | Record<string, number>),
    metrics: saved(form.metrics, outputs.map((o) => o.metrics.map(metricToKeras))),
    weighted_metrics: form.weightedMetrics === 'none' ? null : saved(form.weightedMetrics, outputs.map((o) => o.weightedMetrics.map(metricToKeras))),
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: true,
  };
}

/** A loss class as Keras serializes it (`{module: 'keras.losses', class_name, config}`); a loss given by name as its name. */
const lossToKeras = (loss: Loss): string | KerasObject => {
  if (!loss.className || !loss.getConfig) return loss.name;
  const registered = registeredNameOf(loss);
  return { ...kerasObject('keras.losses', loss.className, loss.getConfig()), ...(registered ? { registered_name: registered } : {}) };
};

/** A `Sequential`'s config: an `InputLayer` with the batch shape, then each layer. */
function sequentialToKeras(model: TrainableModel): KerasObject {
  const inputShape = (model.inputShape ?? model.layers[0]?.builtInputShape) as readonly (number | null)[] | undefined;
  const layers: KerasObject[] = [];
  if (inputShape) layers.push(kerasObject('keras.layers', 'InputLayer', { batch_shape: inputShape, dtype: 'float32', sparse: false, ragged: false, name: 'input_layer' }));
  let shape = inputShape;
  for (const layer of model.layers) {
    layers.push(layerToKeras(layer, shape));
    shape = shape && (layer.computeOutputShape(shape) as readonly (number | null)[]);
  }
  const built = inputShape ? { build_input_shape: inputShape } : {};
  const config = kerasObject('keras', 'Sequential', { name: model.name, trainable: true, dtype: FLOAT32_POLICY, layers, ...built });
  return { ...config, ...(inputShape ? { build_config: { input_shape: inputShape } } : {}) };
}

/** A model's config as Keras writes it (a model nested as a layer is one of these too). */
function anyModelToKeras(model: TrainableModel & Layer): KerasObject {
  if (model.className === 'Sequential') return sequentialToKeras(model);
  const config = functionalConfig(model, (inner) => anyModelToKeras(inner as TrainableModel & Layer));
  return { ...kerasObject('keras.src.models.functional', 'Functional', config), registered_name: 'Functional', build_config: { input_shape: null } };
}

/** Keras's `model.get_config()` wrapped as in `config.json`, with the compile config when compiled. */
export function modelToKeras(model: TrainableModel & Layer): KerasModelConfig {
  const compileConfig = model.getCompileConfig();
  return { ...anyModelToKeras(model), ...(compileConfig ? { compile_config: compileConfig } : {}) };
}

/** A loss saved as a Keras object: the loss class with its config (an unknown class lists the known ones). */
const lossObject = kerasObjectSchema.transform((o) => deserializeLoss(o));
const loss = z.union([z.string(), lossObject]);
const metric = z.union([z.string(), kerasObjectSchema]);
const metrics = z.union([z.array(metric), z.array(z.array(metric)), z.record(z.string(), z.union([metric, z.array(metric)]))]).nullish();

const compileConfig = z.object({
  optimizer: z.union([z.string(), kerasObjectSchema]),
  loss: z.union([loss, z.array(loss), z.record(z.string(), loss)]),
  loss_weights: z.union([z.array(z.number()), z.record(z.string(), z.number())]).nullish(),
  metrics,
  weighted_metrics: metrics,
});

const modelConfig = z.looseObject({
  class_name: z.enum(['Sequential', 'Functional', 'Model'], { error: 'only Sequential and functional (Functional/Model) models are supported' }),
  config: z.record(z.string(), z.unknown()),
  // Keras writes `{}` for a model saved without compile()
  compile_config: z.preprocess((c) => (c && typeof c === 'object' && !Object.keys(c).length ? undefined : c), compileConfig.nullish()),
});

const sequentialConfig = z.looseObject({ name: z.string().min(1), layers: z.array(kerasObjectSchema) });

/** How io makes models: the model classes live above io/, so the caller passes their constructors. */
export interface ModelFactory {
  functional: FunctionalBuilder;
  sequential(name: string, layers: (Layer | SymbolicTensor)[]): Layer & TrainableModel;
}

export type CompilableModel = Layer & TrainableModel & { compile(args: CompileArgs): void };

function sequentialFromKeras(config: unknown, where: string, factory: ModelFactory): Layer & TrainableModel {
  const parsed = parseOptions(sequentialConfig, config, `${where}: config.json`);
  const layers = parsed.layers.map((serialized, i): Layer | SymbolicTensor => {
    if (serialized.class_name !== 'InputLayer') return layerFromKeras(serialized, where, (inner, at) => nestedFromKeras(inner, at, factory));
    if (i > 0) throw new Error(`${where}: InputLayer must be the first layer, found at position ${i}`);
    const [, ...shape] = parseOptions(inputLayerConfig, serialized.config, `${where}: InputLayer`);
    return new InputLayer({ shape, name: typeof serialized.config.name === 'string' ? serialized.config.name : undefined }).output;
  });
  return factory.sequential(parsed.name, layers);
}

function nestedFromKeras(serialized: ParsedKerasObject, where: string, factory: ModelFactory): Layer & TrainableModel {
  if (serialized.class_name === 'Sequential') return sequentialFromKeras(serialized.config, where, factory);
  return functionalFromKeras(serialized.config, where, factory.functional, (inner, at) => nestedFromKeras(inner, at, factory));
}

/** The compile arguments a saved `compile_config` stands for. */
function compileFromKeras(compiled: z.output<typeof compileConfig>, where: string): CompileArgs {
  const optimizer = typeof compiled.optimizer === 'string' ? compiled.optimizer : { className: compiled.optimizer.class_name, config: compiled.optimizer.config };
  const one = (m: z.output<typeof metric>): MetricIdentifier => (typeof m === 'string' ? m : metricFromKeras(m, `${where}: compile_config`));
  const resolve = (ms: NonNullable<z.output<typeof metrics>>): MetricsArg => {
    if (!Array.isArray(ms)) return Object.fromEntries(Object.entries(ms).map(([k, v]) => [k, Array.isArray(v) ? v.map(one) : one(v)]));
    return ms.map((m) => (Array.isArray(m) ? m.map(one) : one(m))) as MetricsArg;
  };
  return {
    optimizer,
    loss: compiled.loss,
    ...(compiled.loss_weights ? { lossWeights: compiled.loss_weights } : {}),
    metrics: compiled.metrics ? resolve(compiled.metrics) : [],
    ...(compiled.weighted_metrics ? { weightedMetrics: resolve(compiled.weighted_metrics) } : {}),
  };
}

/** Rebuild a model (compiled when the config has a `compile_config` and `compile` is true); weights are the initializers'. */
export function modelFromKeras(json: unknown, where: string, compile: boolean, factory: ModelFactory): CompilableModel {
  const parsed = parseOptions(modelConfig, json, `${where}: config.json`);
  const model = nestedFromKeras(parsed as ParsedKerasObject, where, factory) as CompilableModel;
  const compiled = parsed.compile_config;
  if (compile && compiled) model.compile(compileFromKeras(compiled, where));
  return model;
}

