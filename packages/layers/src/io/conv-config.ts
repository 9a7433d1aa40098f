import { z } from 'zod';
import { ACTIVATION_IDS } from '../activations.ts';
import { Conv1D, Conv2D } from '../layers/conv.ts';
import { Rescaling, UpSampling2D, ZeroPadding2D } from '../layers/image-ops.ts';
import {
  AveragePooling1D, AveragePooling2D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D, MaxPooling1D, MaxPooling2D,
} from '../layers/pooling.ts';
import { initializerFromKeras } from './initializer-config.ts';
import { base, entry, kernelAndBias, type FromKeras } from './layer-schema.ts';

export const size = z.number().int().min(1);
export const sizes = z.union([size, z.array(size).min(1)]);
export const dataFormat = z.literal('channels_last', { error: 'only "channels_last" is supported (channels_first is not: Strata\'s image layers are channels last)' }).nullish();
export const padding = z.enum(['valid', 'same'], { error: 'padding must be "valid" or "same" ("causal" is not supported)' }).default('valid');

const convConfig = z.object({
  ...base,
  filters: size,
  kernel_size: sizes,
  strides: sizes.default(1),
  padding,
  data_format: dataFormat,
  dilation_rate: sizes.default(1),
  groups: size.default(1),
  activation: z.enum(ACTIVATION_IDS).nullish(),
  ...kernelAndBias,
});
const poolingConfig = z.object({ ...base, pool_size: sizes.default(2), strides: sizes.nullish(), padding, data_format: dataFormat });
const globalPoolingConfig = z.object({ ...base, data_format: dataFormat, keepdims: z.boolean().default(false) });
const pad = z.number().int().min(0);
const zeroPaddingConfig = z.object({
  ...base,
  padding: z.union([pad, z.tuple([pad, pad]), z.tuple([z.tuple([pad, pad]), z.tuple([pad, pad])])]).default(1),
  data_format: dataFormat,
});
const upSamplingConfig = z.object({
  ...base,
  size: sizes.default(2),
  data_format: dataFormat,
  interpolation: z.literal('nearest', { error: 'only "nearest" interpolation is supported' }).default('nearest'),
});
const rescalingConfig = z.object({ ...base, scale: z.number(), offset: z.number().default(0) });

const conv = (make: typeof Conv1D | typeof Conv2D): FromKeras => entry(convConfig, (c, where) => new make({
  name: c.name,
  trainable: c.trainable,
  filters: c.filters,
  kernelSize: c.kernel_size,
  strides: c.strides,
  padding: c.padding,
  dilationRate: c.dilation_rate,
  groups: c.groups,
  activation: c.activation,
  useBias: c.use_bias,
  kernelInitializer: initializerFromKeras(c.kernel_initializer, `${where}: kernel_initializer`),
  biasInitializer: initializerFromKeras(c.bias_initializer, `${where}: bias_initializer`),
}));

type PoolingClass = typeof MaxPooling1D | typeof MaxPooling2D | typeof AveragePooling1D | typeof AveragePooling2D;
const pooling = (make: PoolingClass): FromKeras => entry(poolingConfig, (c) => new make({
  name: c.name, trainable: c.trainable, poolSize: c.pool_size, strides: c.strides, padding: c.padding,
}));

type GlobalPoolingClass = typeof GlobalAveragePooling1D | typeof GlobalAveragePooling2D | typeof GlobalMaxPooling1D | typeof GlobalMaxPooling2D;
const globalPooling = (make: GlobalPoolingClass): FromKeras => entry(globalPoolingConfig, (c) => new make({ name: c.name, trainable: c.trainable, keepdims: c.keepdims }));

/** The convolution, pooling and image layers from their Keras configs. */
export const CONV_FROM_KERAS: Readonly<Record<string, FromKeras>> = {
  Conv1D: conv(Conv1D),
  Conv2D: conv(Conv2D),
  MaxPooling1D: pooling(MaxPooling1D),
  MaxPooling2D: pooling(MaxPooling2D),
  AveragePooling1D: pooling(AveragePooling1D),
  AveragePooling2D: pooling(AveragePooling2D),
  GlobalAveragePooling1D: globalPooling(GlobalAveragePooling1D),
  GlobalAveragePooling2D: globalPooling(GlobalAveragePooling2D),
  GlobalMaxPooling1D: globalPooling(GlobalMaxPooling1D),
  GlobalMaxPooling2D: globalPooling(GlobalMaxPooling2D),
  ZeroPadding2D: entry(zeroPaddingConfig, (c) => new ZeroPadding2D({ name: c.name, trainable: c.trainable, padding: c.padding })),
  UpSampling2D: entry(upSamplingConfig, (c) => new UpSampling2D({ name: c.name, trainable: c.trainable, size: c.size })),
  Rescaling: entry(rescalingConfig, (c) => new Rescaling({ name: c.name, trainable: c.trainable, scale: c.scale, offset: c.offset })),
};
