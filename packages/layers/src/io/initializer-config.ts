import { z } from 'zod';
import { constant, getInitializer, glorotNormal, glorotUniform, heNormal, heUniform, ones, orthogonal, randomNormal, randomUniform, zeros, type Initializer } from '../initializers.ts';
import { parseOptions } from '../training/options.ts';
import { kerasObject, kerasObjectSchema, type KerasObject } from './keras-object.ts';

export function initializerToKeras(initializer: Initializer): KerasObject {
  return kerasObject('keras.initializers', initializer.className, initializer.getConfig());
}

const seed = z.number().int().nullish().transform((s) => s ?? undefined);
const seeded = z.object({ seed });
const none = z.object({});

type FromKeras = (config: unknown, where: string) => Initializer;
const entry = <S extends z.ZodType>(schema: S, make: (args: z.output<S>) => Initializer): FromKeras => (config, where) => make(parseOptions(schema, config, where));

/** Keras initializer classes Strata has, each with the config keys it reads (others, e.g. `input_axes`, are ignored). */
const FROM_KERAS: Readonly<Record<string, FromKeras>> = {
  GlorotUniform: entry(seeded, glorotUniform),
  GlorotNormal: entry(seeded, glorotNormal),
  HeNormal: entry(seeded, heNormal),
  HeUniform: entry(seeded, heUniform),
  Zeros: entry(none, zeros),
  Ones: entry(none, ones),
  Constant: entry(z.object({ value: z.number() }), constant),
  RandomNormal: entry(z.object({ mean: z.number().default(0), stddev: z.number().default(0.05), seed }), randomNormal),
  RandomUniform: entry(z.object({ minval: z.number().default(-0.05), maxval: z.number().default(0.05), seed }), randomUniform),
  Orthogonal: entry(z.object({ gain: z.number().default(1), seed }), orthogonal),
};

/** A Keras initializer config (`{class_name, config}` or a name such as `"glorot_uniform"`) as a Strata initializer. */
export const initializerSchema = z.union([z.string(), kerasObjectSchema]);

export function initializerFromKeras(value: z.output<typeof initializerSchema>, where: string): Initializer {
  if (typeof value === 'string') return getInitializer(value);
  const make = FROM_KERAS[value.class_name];
  if (!make) throw new Error(`${where}: unsupported initializer "${value.class_name}"; supported: ${Object.keys(FROM_KERAS).join(', ')}`);
  return make(value.config, `${where}: initializer ${value.class_name}`);
}
