import { z } from 'zod';

/** Keras 3's serialized form of any object (layer, initializer, optimizer, model). */
export interface KerasObject {
  module: string;
  class_name: string;
  config: Record<string, unknown>;
  registered_name: string | null;
  build_config?: { input_shape: readonly (number | null)[] | readonly (readonly (number | null)[])[] | null };
}

/** What a `.keras` file must hold at any object position; other keys Keras writes pass through. */
export const kerasObjectSchema = z.looseObject({
  // null for a registered custom object, which is found by its `registered_name`
  module: z.string().nullish(),
  class_name: z.string(),
  config: z.record(z.string(), z.unknown()),
  registered_name: z.string().nullable().optional(),
});

export type ParsedKerasObject = z.output<typeof kerasObjectSchema>;

export function kerasObject(module: string, className: string, config: Record<string, unknown>): KerasObject {
  return { module, class_name: className, config, registered_name: null };
}

/** Keras's float32 `DTypePolicy`, written into every layer config. */
export const FLOAT32_POLICY = kerasObject('keras', 'DTypePolicy', { name: 'float32' });

/** A layer's `dtype`: Strata computes in float32, so other policies (mixed precision) are refused. */
export const float32Policy = z
  .union([z.literal('float32'), z.looseObject({ class_name: z.literal('DTypePolicy'), config: z.looseObject({ name: z.literal('float32') }) })], {
    error: 'only the float32 dtype policy is supported',
  })
  .optional();

/** A Keras option Strata does not implement: accepted only when absent or null. */
export const unsupported = z.null({ error: 'not supported by Strata (must be null)' }).optional();
