import { z } from 'zod';
import type { Layer } from '../layers/layer.ts';
import { parseOptions } from '../training/options.ts';
import { initializerSchema } from './initializer-config.ts';
import { float32Policy, unsupported, type ParsedKerasObject } from './keras-object.ts';

/** The config keys every Keras layer has. */
export const base = { name: z.string().min(1), trainable: z.boolean().default(true), dtype: float32Policy };

/** The config keys of a layer with a kernel and a bias (Dense, Conv1D/2D); regularizers and constraints are refused. */
export const kernelAndBias = {
  use_bias: z.boolean().default(true),
  kernel_initializer: initializerSchema.default('glorot_uniform'),
  bias_initializer: initializerSchema.default('zeros'),
  kernel_regularizer: unsupported,
  bias_regularizer: unsupported,
  activity_regularizer: unsupported,
  kernel_constraint: unsupported,
  bias_constraint: unsupported,
};

/** Rebuilds a layer config nested in another (Bidirectional's and TimeDistributed's `layer`). */
export type NestedLayer = (serialized: ParsedKerasObject, where: string) => Layer;

/** Builds a layer from its Keras config (snake_case); `where` names it in errors. */
export type FromKeras = (config: unknown, where: string, nested: NestedLayer) => Layer;

/** A `FromKeras` that checks the config against `schema` first (errors name the field and the layer). */
export const entry = <S extends z.ZodType>(schema: S, make: (config: z.output<S>, where: string, nested: NestedLayer) => Layer): FromKeras =>
  (config, where, nested) => make(parseOptions(schema, config, where), where, nested);
