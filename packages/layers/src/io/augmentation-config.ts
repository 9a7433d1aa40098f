import { z } from 'zod';
import { FILL_MODES, INTERPOLATIONS, type FillMode, type Interpolation } from '../layers/affine-sample.ts';
import { FLIP_MODES, RandomFlip, RandomRotation, RandomTranslation, RandomZoom } from '../layers/augmentation.ts';
import { base, entry, type FromKeras } from './layer-schema.ts';

const dataFormat = z.literal('channels_last', { error: 'only "channels_last" is supported (channels_first is not: Strata\'s image layers are channels last)' }).nullish();
const factor = z.union([z.number(), z.tuple([z.number(), z.number()])]);
const sampling = {
  fill_mode: z.enum(FILL_MODES).default('reflect'),
  interpolation: z.enum(INTERPOLATIONS).default('bilinear'),
  fill_value: z.number().default(0),
};
const common = { ...base, data_format: dataFormat, seed: z.number().int().nullish() };

const flipConfig = z.object({ ...common, mode: z.enum(FLIP_MODES).default('horizontal_and_vertical') });
const translationConfig = z.object({ ...common, ...sampling, height_factor: factor, width_factor: factor });
const rotationConfig = z.object({ ...common, ...sampling, factor });
const zoomConfig = z.object({ ...common, ...sampling, height_factor: factor, width_factor: factor.nullish() });

/** The options every augmentation layer takes, from a parsed config (a null seed draws a fresh one). */
const shared = (c: { name: string; trainable: boolean; seed?: number | null }) => ({ name: c.name, trainable: c.trainable, seed: c.seed ?? undefined });
const fill = (c: { fill_mode: FillMode; interpolation: Interpolation; fill_value: number }) => ({ fillMode: c.fill_mode, interpolation: c.interpolation, fillValue: c.fill_value });

/** Keras's image augmentation layers (no weights). */
export const AUGMENTATION_FROM_KERAS: Readonly<Record<string, FromKeras>> = {
  RandomFlip: entry(flipConfig, (c) => new RandomFlip({ ...shared(c), mode: c.mode })),
  RandomTranslation: entry(translationConfig, (c) => new RandomTranslation({ ...shared(c), ...fill(c), heightFactor: c.height_factor, widthFactor: c.width_factor })),
  RandomRotation: entry(rotationConfig, (c) => new RandomRotation({ ...shared(c), ...fill(c), factor: c.factor })),
  RandomZoom: entry(zoomConfig, (c) => new RandomZoom({ ...shared(c), ...fill(c), heightFactor: c.height_factor, widthFactor: c.width_factor })),
};
