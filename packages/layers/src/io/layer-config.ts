import { z } from 'zod';
import { ACTIVATION_IDS } from '../activations.ts';
import { toSnakeCase } from '../identifiers.ts';
import { Activation } from '../layers/activation.ts';
import { Dense } from '../layers/dense.ts';
import { Dropout } from '../layers/dropout.ts';
import { Flatten } from '../layers/flatten.ts';
import type { Layer, LayerShape } from '../layers/layer.ts';
import { Reshape } from '../layers/reshape.ts';
import { parseOptions } from '../training/options.ts';
import { initializerFromKeras, initializerSchema } from './initializer-config.ts';
import { FLOAT32_POLICY, float32Policy, kerasObject, unsupported, type KerasObject, type ParsedKerasObject } from './keras-object.ts';

const isSerialized = (v: unknown): v is { className: string; config: Record<string, unknown> } =>
  typeof v === 'object' && v !== null && 'className' in v && 'config' in v;

/**
 * A layer's Keras config: its `getConfig()` with snake_case keys, nested `{className, config}` values
 * (the initializers, the only nested objects a Strata layer has) in Keras's object form, and the dtype
 * policy. The input shape goes into the model's `InputLayer`, not into the layer.
 */
export function layerToKeras(layer: Layer, inputShape: LayerShape | undefined): KerasObject {
  const { batchInputShape: _inModelInput, ...config } = layer.getConfig();
  const keras: Record<string, unknown> = { dtype: FLOAT32_POLICY };
  for (const [key, value] of Object.entries(config)) {
    keras[toSnakeCase(key)] = isSerialized(value) ? kerasObject('keras.initializers', value.className, value.config) : value;
  }
  const serialized = kerasObject('keras.layers', layer.className, keras);
  return inputShape ? { ...serialized, build_config: { input_shape: inputShape } } : serialized;
}

const base = { name: z.string().min(1), trainable: z.boolean().default(true), dtype: float32Policy };

const denseConfig = z.object({
  ...base,
  units: z.number().int().min(1),
  activation: z.enum(ACTIVATION_IDS).nullish(),
  use_bias: z.boolean().default(true),
  kernel_initializer: initializerSchema.default('glorot_uniform'),
  bias_initializer: initializerSchema.default('zeros'),
  kernel_regularizer: unsupported,
  bias_regularizer: unsupported,
  activity_regularizer: unsupported,
  kernel_constraint: unsupported,
  bias_constraint: unsupported,
  quantization_config: unsupported,
  lora_rank: unsupported,
});
const activationConfig = z.object({ ...base, activation: z.enum(ACTIVATION_IDS) });
const flattenConfig = z.object({ ...base, data_format: z.literal('channels_last', { error: 'only "channels_last" is supported' }).optional() });
const reshapeConfig = z.object({ ...base, target_shape: z.array(z.number().int().min(-1)) });
const dropoutConfig = z.object({ ...base, rate: z.number().min(0).lt(1), seed: z.number().int().nullish(), noise_shape: unsupported });

type FromKeras = (config: unknown, where: string) => Layer;
const entry = <S extends z.ZodType>(schema: S, make: (config: z.output<S>, where: string) => Layer): FromKeras => (config, where) => make(parseOptions(schema, config, where), where);

/** The Keras layer classes Strata can rebuild from a config. */
const FROM_KERAS: Readonly<Record<string, FromKeras>> = {
  Dense: entry(denseConfig, (c, where) => new Dense({
    name: c.name,
    trainable: c.trainable,
    units: c.units,
    activation: c.activation,
    useBias: c.use_bias,
    kernelInitializer: initializerFromKeras(c.kernel_initializer, `${where}: kernel_initializer`),
    biasInitializer: initializerFromKeras(c.bias_initializer, `${where}: bias_initializer`),
  })),
  Activation: entry(activationConfig, (c) => new Activation({ name: c.name, trainable: c.trainable, activation: c.activation })),
  Flatten: entry(flattenConfig, (c) => new Flatten({ name: c.name, trainable: c.trainable })),
  Reshape: entry(reshapeConfig, (c) => new Reshape({ name: c.name, trainable: c.trainable, targetShape: c.target_shape })),
  Dropout: entry(dropoutConfig, (c) => new Dropout({ name: c.name, trainable: c.trainable, rate: c.rate, seed: c.seed ?? undefined })),
};

/** Rebuild a layer from its Keras config; unknown classes and bad fields are errors naming the layer. */
export function layerFromKeras(serialized: ParsedKerasObject, where: string): Layer {
  const name = typeof serialized.config.name === 'string' ? serialized.config.name : '?';
  const at = `${where}: layer "${name}" (${serialized.class_name})`;
  const make = FROM_KERAS[serialized.class_name];
  if (!make) throw new Error(`${at}: unknown layer class "${serialized.class_name}"; supported: InputLayer, ${Object.keys(FROM_KERAS).join(', ')}`);
  return make(serialized.config, at);
}

const dimension = z.number().int().min(1);

/** Keras's `InputLayer` config: the batch shape (`batch_shape`, or Keras 2's `batch_input_shape`). */
export const inputLayerConfig = z
  .object({
    name: z.string().optional(),
    batch_shape: z.array(dimension.nullable()).optional(),
    batch_input_shape: z.array(dimension.nullable()).optional(),
    dtype: z.literal('float32', { error: 'only float32 inputs are supported' }).optional(),
    sparse: z.literal(false, { error: 'sparse inputs are not supported' }).optional(),
    ragged: z.literal(false, { error: 'ragged inputs are not supported' }).optional(),
  })
  .transform((c) => c.batch_shape ?? c.batch_input_shape)
  .pipe(z.tuple([dimension.nullable()], dimension, { error: 'batch_shape must be [batch, ...known sizes]' }));
