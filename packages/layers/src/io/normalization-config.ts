import { z } from 'zod';
import { BatchNormalization } from '../layers/batch-normalization.ts';
import { LayerNormalization } from '../layers/layer-normalization.ts';
import { initializerFromKeras, initializerSchema } from './initializer-config.ts';
import { unsupported } from './keras-object.ts';
import { base, entry, type FromKeras } from './layer-schema.ts';

const regularized = { beta_regularizer: unsupported, gamma_regularizer: unsupported, beta_constraint: unsupported, gamma_constraint: unsupported };

const batchNormalizationConfig = z.object({
  ...base,
  ...regularized,
  axis: z.number().int().default(-1),
  momentum: z.number().min(0).max(1).default(0.99),
  epsilon: z.number().positive().default(1e-3),
  center: z.boolean().default(true),
  scale: z.boolean().default(true),
  beta_initializer: initializerSchema.default('zeros'),
  gamma_initializer: initializerSchema.default('ones'),
  moving_mean_initializer: initializerSchema.default('zeros'),
  moving_variance_initializer: initializerSchema.default('ones'),
  synchronized: z.literal(false, { error: 'synchronized batch statistics are not supported (must be false)' }).optional(),
  renorm: z.literal(false, { error: 'batch renormalization is not supported (must be false)' }).optional(),
  renorm_clipping: unsupported,
  // read by Keras only with renorm
  renorm_momentum: z.number().optional(),
});

const layerNormalizationConfig = z.object({
  ...base,
  ...regularized,
  axis: z.union([z.number().int(), z.array(z.number().int()).min(1)]).default(-1),
  epsilon: z.number().positive().default(1e-3),
  center: z.boolean().default(true),
  scale: z.boolean().default(true),
  rms_scaling: z.boolean().default(false),
  beta_initializer: initializerSchema.default('zeros'),
  gamma_initializer: initializerSchema.default('ones'),
});

/** BatchNormalization and LayerNormalization from their Keras configs. */
export const NORMALIZATION_FROM_KERAS: Readonly<Record<string, FromKeras>> = {
  BatchNormalization: entry(batchNormalizationConfig, (c, where) => new BatchNormalization({
    name: c.name,
    trainable: c.trainable,
    axis: c.axis,
    momentum: c.momentum,
    epsilon: c.epsilon,
    center: c.center,
    scale: c.scale,
    betaInitializer: initializerFromKeras(c.beta_initializer, `${where}: beta_initializer`),
    gammaInitializer: initializerFromKeras(c.gamma_initializer, `${where}: gamma_initializer`),
    movingMeanInitializer: initializerFromKeras(c.moving_mean_initializer, `${where}: moving_mean_initializer`),
    movingVarianceInitializer: initializerFromKeras(c.moving_variance_initializer, `${where}: moving_variance_initializer`),
  })),
  LayerNormalization: entry(layerNormalizationConfig, (c, where) => new LayerNormalization({
    name: c.name,
    trainable: c.trainable,
    axis: c.axis,
    epsilon: c.epsilon,
    center: c.center,
    scale: c.scale,
    rmsScaling: c.rms_scaling,
    betaInitializer: initializerFromKeras(c.beta_initializer, `${where}: beta_initializer`),
    gammaInitializer: initializerFromKeras(c.gamma_initializer, `${where}: gamma_initializer`),
  })),
};
