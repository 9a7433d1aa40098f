import { z } from 'zod';
import { toSnakeCase } from '../identifiers.ts';
import { InputLayer } from '../layers/input.ts';
import type { LayerShape } from '../layers/layer.ts';
import { Sequential } from '../models/sequential.ts';
import type { Compiled } from '../training/step.ts';
import { parseOptions } from '../training/options.ts';
import { FLOAT32_POLICY, kerasObject, kerasObjectSchema, unsupported, type KerasObject } from './keras-object.ts';
import { inputLayerConfig, layerFromKeras, layerToKeras } from './layer-config.ts';

/** Keras's `model.get_compile_config()`. */
export interface KerasCompileConfig {
  optimizer: KerasObject;
  loss: string;
  loss_weights: null;
  metrics: string[];
  weighted_metrics: null;
  run_eagerly: false;
  steps_per_execution: 1;
  jit_compile: true;
}

export type KerasModelConfig = KerasObject & { compile_config?: KerasCompileConfig };

export function compileToKeras(compiled: Compiled): KerasCompileConfig {
  const { optimizer, loss, metrics } = compiled;
  return {
    optimizer: kerasObject('keras.optimizers', optimizer.className, optimizer.getConfig()),
    loss: loss.name,
    loss_weights: null,
    metrics: metrics.map((m) => m.name),
    weighted_metrics: null,
    run_eagerly: false,
    steps_per_execution: 1,
    jit_compile: true,
  };
}

/** The input shape a model was built for: declared, or taken by its first layer when it first saw data. */
export function modelInputShape(model: Sequential): LayerShape | undefined {
  return model.inputShape ?? model.layers[0]?.builtInputShape;
}

/** Keras's `model.get_config()` wrapped as in `config.json`: an `InputLayer` with the batch shape, then each layer. */
export function modelToKeras(model: Sequential): KerasModelConfig {
  const inputShape = modelInputShape(model);
  const layers: KerasObject[] = [];
  if (inputShape) layers.push(kerasObject('keras.layers', 'InputLayer', { batch_shape: inputShape, dtype: 'float32', sparse: false, ragged: false, name: 'input_layer' }));
  let shape = inputShape;
  for (const layer of model.layers) {
    layers.push(layerToKeras(layer, shape));
    shape = shape && layer.computeOutputShape(shape);
  }
  const built = inputShape ? { build_input_shape: inputShape } : {};
  const config = kerasObject('keras', 'Sequential', { name: model.name, trainable: true, dtype: FLOAT32_POLICY, layers, ...built });
  const compileConfig = model.getCompileConfig();
  return { ...config, ...(inputShape ? { build_config: { input_shape: inputShape } } : {}), ...(compileConfig ? { compile_config: compileConfig } : {}) };
}

/** A loss or metric saved as a Keras object: its snake_case class name, when its options are Strata's defaults. */
const lossObject = kerasObjectSchema
  .extend({ config: z.looseObject({ from_logits: z.literal(false, { error: 'from_logits is not supported' }).optional(), label_smoothing: z.literal(0, { error: 'label_smoothing is not supported' }).optional() }) })
  .transform((o) => toSnakeCase(o.class_name));
const metricObject = kerasObjectSchema.transform((o) => (typeof o.config.name === 'string' ? o.config.name : toSnakeCase(o.class_name)));

const compileConfig = z.object({
  optimizer: z.union([z.string(), kerasObjectSchema]),
  loss: z.union([z.string(), lossObject]),
  metrics: z.array(z.union([z.string(), metricObject])).nullish(),
  loss_weights: unsupported,
  weighted_metrics: unsupported,
});

const modelConfig = z.looseObject({
  class_name: z.literal('Sequential', { error: 'only Sequential models are supported' }),
  config: z.looseObject({ name: z.string().min(1), layers: z.array(kerasObjectSchema) }),
  compile_config: compileConfig.nullish(),
});

/** Rebuild a Sequential (compiled when the config has a `compile_config` and `compile` is true); weights are the initializers'. */
export function modelFromKeras(json: unknown, where: string, compile = true): Sequential {
  const parsed = parseOptions(modelConfig, json, `${where}: config.json`);
  const model = new Sequential([], { name: parsed.config.name });
  parsed.config.layers.forEach((serialized, i) => {
    if (serialized.class_name !== 'InputLayer') return model.add(layerFromKeras(serialized, where));
    if (i > 0) throw new Error(`${where}: InputLayer must be the first layer, found at position ${i}`);
    const [, ...shape] = parseOptions(inputLayerConfig, serialized.config, `${where}: InputLayer`);
    model.add(new InputLayer({ shape, name: typeof serialized.config.name === 'string' ? serialized.config.name : undefined }));
  });
  const compiled = parsed.compile_config;
  if (compile && compiled) {
    const optimizer = typeof compiled.optimizer === 'string' ? compiled.optimizer : { className: compiled.optimizer.class_name, config: compiled.optimizer.config };
    model.compile({ optimizer, loss: compiled.loss, metrics: compiled.metrics ?? [] });
  }
  return model;
}
