import { z } from 'zod';
import { ACTIVATION_IDS } from '../activations.ts';
import { DepthwiseConv2D, SeparableConv2D } from '../layers/conv-depthwise.ts';
import { Conv2DTranspose } from '../layers/conv-transpose.ts';
import { dataFormat, padding, size, sizes } from './conv-config.ts';
import { initializerFromKeras, initializerSchema } from './initializer-config.ts';
import { unsupported } from './keras-object.ts';
import { base, entry, type FromKeras } from './layer-schema.ts';

/** What every convolution config has besides its kernels' initializers, regularizers and constraints. */
const window = {
  ...base,
  kernel_size: sizes,
  strides: sizes.default(1),
  padding,
  data_format: dataFormat,
  dilation_rate: sizes.default(1),
  activation: z.enum(ACTIVATION_IDS).nullish(),
  use_bias: z.boolean().default(true),
  bias_initializer: initializerSchema.default('zeros'),
  bias_regularizer: unsupported,
  activity_regularizer: unsupported,
  bias_constraint: unsupported,
};
const depthwise = {
  ...window,
  depth_multiplier: size.default(1),
  depthwise_initializer: initializerSchema.default('glorot_uniform'),
  depthwise_regularizer: unsupported,
  depthwise_constraint: unsupported,
};
const depthwiseConfig = z.object(depthwise);
const separableConfig = z.object({
  ...depthwise,
  filters: size,
  pointwise_initializer: initializerSchema.default('glorot_uniform'),
  pointwise_regularizer: unsupported,
  pointwise_constraint: unsupported,
});
const outputPadding = z.number().int().min(0);
const transposeConfig = z.object({
  ...window,
  filters: size,
  output_padding: z.union([outputPadding, z.array(outputPadding)]).nullish(),
  kernel_initializer: initializerSchema.default('glorot_uniform'),
  kernel_regularizer: unsupported,
  kernel_constraint: unsupported,
});

const windowArgs = (c: z.output<typeof depthwiseConfig> | z.output<typeof transposeConfig>, where: string) => ({
  name: c.name,
  trainable: c.trainable,
  kernelSize: c.kernel_size,
  strides: c.strides,
  padding: c.padding,
  dilationRate: c.dilation_rate,
  activation: c.activation,
  useBias: c.use_bias,
  biasInitializer: initializerFromKeras(c.bias_initializer, `${where}: bias_initializer`),
});
const depthwiseArgs = (c: z.output<typeof depthwiseConfig>, where: string) => ({
  ...windowArgs(c, where),
  depthMultiplier: c.depth_multiplier,
  depthwiseInitializer: initializerFromKeras(c.depthwise_initializer, `${where}: depthwise_initializer`),
});

/** DepthwiseConv2D, SeparableConv2D and Conv2DTranspose from their Keras configs. */
export const CONV_VARIANTS_FROM_KERAS: Readonly<Record<string, FromKeras>> = {
  DepthwiseConv2D: entry(depthwiseConfig, (c, where) => new DepthwiseConv2D(depthwiseArgs(c, where))),
  SeparableConv2D: entry(separableConfig, (c, where) => new SeparableConv2D({
    ...depthwiseArgs(c, where),
    filters: c.filters,
    pointwiseInitializer: initializerFromKeras(c.pointwise_initializer, `${where}: pointwise_initializer`),
  })),
  Conv2DTranspose: entry(transposeConfig, (c, where) => new Conv2DTranspose({
    ...windowArgs(c, where),
    filters: c.filters,
    outputPadding: c.output_padding,
    kernelInitializer: initializerFromKeras(c.kernel_initializer, `${where}: kernel_initializer`),
  })),
};
