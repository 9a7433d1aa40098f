import { z } from 'zod';
import type { Layer } from '../layers/layer.ts';
import { parseOptions } from '../training/options.ts';
import { float32Policy } from './keras-object.ts';

/** The config keys every Keras layer has. */
export const base = { name: z.string().min(1), trainable: z.boolean().default(true), dtype: float32Policy };

/** Builds a layer from its Keras config (snake_case); `where` names it in errors. */
export type FromKeras = (config: unknown, where: string) => Layer;

/** A `FromKeras` that checks the config against `schema` first (errors name the field and the layer). */
export const entry = <S extends z.ZodType>(schema: S, make: (config: z.output<S>, where: string) => Layer): FromKeras => (config, where) => make(parseOptions(schema, config, where), where);
