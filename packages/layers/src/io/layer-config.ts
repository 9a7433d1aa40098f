import { z } from 'zod';
import { ACTIVATION_IDS } from '../activations.ts';
import { toCamelCase, toSnakeCase } from '../identifiers.ts';
import { Activation } from '../layers/activation.ts';
import { Dense } from '../layers/dense.ts';
import { Dropout } from '../layers/dropout.ts';
import { Flatten } from '../layers/flatten.ts';
import { Layer, type LayerConfig, type LayerShapes } from '../layers/layer.ts';
import { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract } from '../layers/merge.ts';
import { Reshape } from '../layers/reshape.ts';
import { fromConfig, registeredClass, registeredNameOf, registeredNames } from '../serialization.ts';
import { initializerFromKeras } from './initializer-config.ts';
import { FLOAT32_POLICY, kerasObject, unsupported, type KerasObject, type ParsedKerasObject } from './keras-object.ts';
import { base, entry, kernelAndBias, type FromKeras } from './layer-schema.ts';
import { AUGMENTATION_FROM_KERAS } from './augmentation-config.ts';
import { CONV_FROM_KERAS } from './conv-config.ts';
import { CONV_VARIANTS_FROM_KERAS } from './conv-variants-config.ts';
import { NORMALIZATION_FROM_KERAS } from './normalization-config.ts';
import { SEQUENCE_FROM_KERAS } from './recurrent-config.ts';

const isSerialized = (v: unknown): v is { className: string; config: Record<string, unknown> } =>
  typeof v === 'object' && v !== null && 'className' in v && 'config' in v;

/**
 * A layer's Keras config: its `getConfig()` with snake_case keys, nested `{className, config}` values
 * (the initializers, the only nested objects a Strata layer has) in Keras's object form, and the dtype
 * policy. The input shape goes into the model's `InputLayer`, not into the layer.
 */
export function layerToKeras(layer: Layer, inputShape: LayerShapes | undefined): KerasObject {
  const { batchInputShape: _inModelInput, ...config } = layer.getConfig();
  const keras: Record<string, unknown> = { dtype: FLOAT32_POLICY };
  for (const [key, value] of Object.entries(config)) {
    // a wrapped layer (Bidirectional's, TimeDistributed's) is a whole layer config of its own
    keras[toSnakeCase(key)] = value instanceof Layer ? layerToKeras(value, value.builtInputShape) : isSerialized(value) ? kerasObject('keras.initializers', value.className, value.config) : value;
  }
  const registered = registeredNameOf(layer);
  const serialized = registered ? { ...kerasObject('keras.layers', layer.className, keras), registered_name: registered } : kerasObject('keras.layers', layer.className, keras);
  return inputShape ? { ...serialized, build_config: { input_shape: inputShape } } : serialized;
}

const denseConfig = z.object({
  ...base,
  units: z.number().int().min(1),
  activation: z.enum(ACTIVATION_IDS).nullish(),
  ...kernelAndBias,
  quantization_config: unsupported,
  lora_rank: unsupported,
});
const activationConfig = z.object({ ...base, activation: z.enum(ACTIVATION_IDS) });
const flattenConfig = z.object({ ...base, data_format: z.literal('channels_last', { error: 'only "channels_last" is supported' }).optional() });
const reshapeConfig = z.object({ ...base, target_shape: z.array(z.number().int().min(-1)) });
const dropoutConfig = z.object({ ...base, rate: z.number().min(0).lt(1), seed: z.number().int().nullish(), noise_shape: unsupported });
const mergeConfig = z.object(base);
const concatenateConfig = z.object({ ...base, axis: z.number().int().default(-1) });
const dotConfig = z.object({ ...base, axes: z.union([z.number().int(), z.tuple([z.number().int(), z.number().int()])]), normalize: z.boolean().default(false) });

/** The options every layer takes, from a parsed config. */
const named = (c: { name: string; trainable: boolean }): { name: string; trainable: boolean } => ({ name: c.name, trainable: c.trainable });

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
  Add: entry(mergeConfig, (c) => new Add(named(c))),
  Subtract: entry(mergeConfig, (c) => new Subtract(named(c))),
  Multiply: entry(mergeConfig, (c) => new Multiply(named(c))),
  Average: entry(mergeConfig, (c) => new Average(named(c))),
  Maximum: entry(mergeConfig, (c) => new Maximum(named(c))),
  Minimum: entry(mergeConfig, (c) => new Minimum(named(c))),
  Concatenate: entry(concatenateConfig, (c) => new Concatenate({ ...named(c), axis: c.axis })),
  Dot: entry(dotConfig, (c) => new Dot({ ...named(c), axes: c.axes, normalize: c.normalize })),
  ...NORMALIZATION_FROM_KERAS,
  ...CONV_FROM_KERAS,
  ...AUGMENTATION_FROM_KERAS,
  ...CONV_VARIANTS_FROM_KERAS,
  ...SEQUENCE_FROM_KERAS,
};

/** A user's layer registered with `registerSerializable`: its config back in camelCase, initializers included. */
function customFromKeras(serialized: ParsedKerasObject, at: string): Layer | undefined {
  const cls = registeredClass(serialized.registered_name ?? serialized.class_name) ?? registeredClass(serialized.class_name);
  if (!cls) return undefined;
  const config: LayerConfig = {};
  for (const [key, value] of Object.entries(serialized.config)) {
    if (key === 'dtype') continue;
    const nested = value as { class_name?: unknown; config?: unknown } | null;
    config[toCamelCase(key)] = nested && typeof nested === 'object' && typeof nested.class_name === 'string' ? { className: nested.class_name, config: nested.config } : value;
  }
  try {
    return fromConfig(cls, config);
  } catch (error) {
    throw new Error(`${at}: the registered class could not be built from its config (${(error as Error).message})`);
  }
}

/** Models nested as layers are rebuilt by the caller (the model classes live above io/). */
export type NestedModelBuilder = (serialized: ParsedKerasObject, where: string) => Layer;

const NESTED_MODELS = ['Functional', 'Model', 'Sequential'];

/** Rebuild a layer from its Keras config; unknown classes and bad fields are errors naming the layer. */
export function layerFromKeras(serialized: ParsedKerasObject, where: string, nested?: NestedModelBuilder): Layer {
  const name = typeof serialized.config.name === 'string' ? serialized.config.name : '?';
  const at = `${where}: layer "${name}" (${serialized.class_name})`;
  if (nested && NESTED_MODELS.includes(serialized.class_name)) return nested(serialized, at);
  const custom = customFromKeras(serialized, at);
  if (custom) return custom;
  const make = FROM_KERAS[serialized.class_name];
  if (!make) {
    const known = ['InputLayer', ...Object.keys(FROM_KERAS), ...NESTED_MODELS, ...registeredNames()];
    throw new Error(`${at}: unknown layer class "${serialized.class_name}"${serialized.registered_name ? ` (registered name "${serialized.registered_name}")` : ''}; supported: ${known.join(', ')}; register custom layers with registerSerializable(YourLayer) before loading`);
  }
  return make(serialized.config, at, (inner, innerAt) => layerFromKeras(inner, innerAt, nested));
}

const dimension = z.number().int().min(1);

/** Keras's `InputLayer` config: the batch shape (`batch_shape`, or Keras 2's `batch_input_shape`). */
export const inputLayerConfig = z
  .object({
    name: z.string().optional(),
    batch_shape: z.array(dimension.nullable()).optional(),
    batch_input_shape: z.array(dimension.nullable()).optional(),
    // int32: Keras's index inputs (keras.Input(dtype='int32') before an Embedding); Strata's inputs are float32, which Embedding casts
    dtype: z.enum(['float32', 'int32'], { error: 'only float32 and int32 inputs are supported' }).optional(),
    sparse: z.literal(false, { error: 'sparse inputs are not supported' }).optional(),
    ragged: z.literal(false, { error: 'ragged inputs are not supported' }).optional(),
  })
  .transform((c) => c.batch_shape ?? c.batch_input_shape)
  .pipe(z.tuple([dimension.nullable()], dimension, { error: 'batch_shape must be [batch, ...known sizes]' }));
