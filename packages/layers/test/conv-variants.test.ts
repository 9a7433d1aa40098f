import { describe, expect, it } from 'vitest';
import { layerFromKeras, layerToKeras } from '../src/io/layer-config.ts';
import { Conv2DTranspose, DepthwiseConv2D, Model, SeparableConv2D, Sequential, input, layers, memory, randomNormal, setBackend, type Layer, type Tensor } from '../src/index.ts';

/**
 * DepthwiseConv2D, SeparableConv2D and Conv2DTranspose as layers: Keras 3's summary, output shapes and
 * parameter counts (the figures Keras printed for the same layers), configs to and from Keras's, and
 * errors. Their numbers against Keras are in conv-variants-keras.test.ts.
 */
const GLOROT = { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null, input_axes: null, output_axes: null }, registered_name: null };
const ZEROS = { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null };
const HE_NORMAL = { ...GLOROT, class_name: 'HeNormal' };

/** Configs as Keras 3.15's get_config() printed them (dtype and the unset regularizers and constraints left out). */
const KERAS_CONFIGS = [
  {
    class_name: 'DepthwiseConv2D',
    config: {
      name: 'dw', trainable: true, depth_multiplier: 3, kernel_size: [3, 2], strides: [2, 2], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1],
      activation: 'relu', use_bias: false, depthwise_initializer: GLOROT, bias_initializer: ZEROS,
    },
  },
  {
    class_name: 'SeparableConv2D',
    config: {
      name: 'sep', trainable: true, depth_multiplier: 2, filters: 7, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', data_format: 'channels_last', dilation_rate: [2, 2],
      activation: 'tanh', use_bias: true, depthwise_initializer: GLOROT, pointwise_initializer: HE_NORMAL, bias_initializer: ZEROS,
    },
  },
  {
    class_name: 'Conv2DTranspose',
    config: {
      name: 'tr', trainable: true, filters: 5, kernel_size: [4, 3], strides: [2, 3], padding: 'same', output_padding: [1, 2], data_format: 'channels_last', dilation_rate: [1, 1],
      activation: 'sigmoid', use_bias: true, kernel_initializer: GLOROT, bias_initializer: ZEROS,
    },
  },
];

const initializerKeys = (config: Record<string, unknown>): string[] => Object.keys(config).filter((k) => k.endsWith('_initializer')).sort();

describe('DepthwiseConv2D, SeparableConv2D, Conv2DTranspose', () => {
  it("summary is Keras 3's table", () => {
    const model = new Sequential([
      layers.input({ shape: [8, 8, 3] }),
      layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, name: 'depthwise_conv2d' }),
      layers.separableConv2d({ filters: 4, kernelSize: 3, name: 'separable_conv2d' }),
      layers.conv2dTranspose({ filters: 5, kernelSize: 3, strides: 2, name: 'conv2d_transpose' }),
    ], { name: 'sequential' });
    const lines: string[] = [];
    model.summary((line) => lines.push(line));
    expect(lines.join('\n')).toBe([
      'Model: "sequential"',
      '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
      '┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃',
      '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
      '│ depthwise_conv2d                │ (None, 6, 6, 6)        │            60 │',
      '│ (DepthwiseConv2D)               │                        │               │',
      '├─────────────────────────────────┼────────────────────────┼───────────────┤',
      '│ separable_conv2d                │ (None, 4, 4, 4)        │            82 │',
      '│ (SeparableConv2D)               │                        │               │',
      '├─────────────────────────────────┼────────────────────────┼───────────────┤',
      '│ conv2d_transpose                │ (None, 9, 9, 5)        │           185 │',
      '│ (Conv2DTranspose)               │                        │               │',
      '└─────────────────────────────────┴────────────────────────┴───────────────┘',
      ' Total params: 327 (1.28 KB)',
      ' Trainable params: 327 (1.28 KB)',
      ' Non-trainable params: 0 (0.00 B)',
    ].join('\n'));
    expect(new DepthwiseConv2D({ kernelSize: 1 }).name).toMatch(/^depthwise_conv2d(_\d+)?$/);
    expect(new Conv2DTranspose({ filters: 1, kernelSize: 1 }).name).toMatch(/^conv2d_transpose(_\d+)?$/);
  });

  it('output shapes and parameter counts as Keras computes them', () => {
    // [layer, input shape, Keras's output shape, Keras's count_params()]
    const cases: [Layer, number[], (number | null)[], number][] = [
      [layers.depthwiseConv2d({ kernelSize: [3, 2], strides: 2, padding: 'same', depthMultiplier: 3 }), [9, 8, 4], [null, 5, 4, 12], 84],
      [layers.depthwiseConv2d({ kernelSize: 3, dilationRate: 2, useBias: false }), [9, 8, 2], [null, 5, 4, 2], 18],
      [layers.separableConv2d({ filters: 7, kernelSize: 3, strides: [1, 2], depthMultiplier: 2 }), [9, 8, 3], [null, 7, 3, 7], 103],
      [layers.separableConv2d({ filters: 4, kernelSize: [2, 3], padding: 'same', dilationRate: 2, useBias: false }), [9, 8, 3], [null, 9, 8, 4], 30],
      [layers.conv2dTranspose({ filters: 5, kernelSize: [4, 3], strides: [2, 3], padding: 'same' }), [5, 4, 2], [null, 10, 12, 5], 125],
      [layers.conv2dTranspose({ filters: 5, kernelSize: [4, 3], strides: [2, 3], padding: 'same', outputPadding: [1, 2] }), [5, 4, 2], [null, 9, 12, 5], 125],
      [layers.conv2dTranspose({ filters: 3, kernelSize: 2, strides: 3 }), [5, 4, 2], [null, 15, 12, 3], 27],
      [layers.conv2dTranspose({ filters: 3, kernelSize: 3, strides: 2, outputPadding: 1, useBias: false }), [5, 4, 2], [null, 12, 10, 3], 54],
      [layers.conv2dTranspose({ filters: 3, kernelSize: 3, dilationRate: 2 }), [5, 4, 2], [null, 9, 8, 3], 57],
      [layers.conv2dTranspose({ filters: 3, kernelSize: 4, padding: 'same', outputPadding: 0 }), [5, 4, 2], [null, 4, 3, 3], 99],
    ];
    for (const [layer, shape, out, params] of cases) {
      const y = layer.apply(input({ shape }));
      expect(y.shape, JSON.stringify(layer.getConfig())).toEqual(out);
      expect(layer.countParams(), layer.className).toBe(params);
    }
    const sep = new SeparableConv2D({ filters: 4, kernelSize: 3, depthMultiplier: 2 });
    sep.apply(input({ shape: [6, 6, 3] }));
    expect(sep.weights.map((w) => [w.name, w.shape])).toEqual([
      [`${sep.name}/depthwise_kernel`, [3, 3, 3, 2]], [`${sep.name}/pointwise_kernel`, [1, 1, 6, 4]], [`${sep.name}/bias`, [4]],
    ]);
  });

  it.each(KERAS_CONFIGS.map((c) => [c.class_name, c] as const))("%s from Keras's config and back", (className, keras) => {
    const layer = layerFromKeras(keras, 'test');
    expect(layer.className).toBe(className);
    const back = layerToKeras(layer, undefined);
    expect(back.class_name).toBe(className);
    const { dtype: _policy, ...config } = back.config;
    const settings = (c: Record<string, unknown>) => Object.fromEntries(Object.entries(c).filter(([k]) => !k.endsWith('_initializer')));
    expect(settings(config)).toEqual(settings(keras.config));
    const initializers = initializerKeys(keras.config);
    expect(initializerKeys(config)).toEqual(initializers);
    for (const key of initializers) expect((config[key] as { class_name: string }).class_name).toBe((keras.config[key as keyof typeof keras.config] as { class_name: string }).class_name);
  });

  it('a Conv2DTranspose without output_padding keeps it null both ways', () => {
    const layer = layerFromKeras({ class_name: 'Conv2DTranspose', config: { name: 't', filters: 2, kernel_size: 3, output_padding: null } }, 'test') as Conv2DTranspose;
    expect(layer.outputPadding).toBeNull();
    expect(layerToKeras(layer, undefined).config.output_padding).toBeNull();
  });

  it('a model of all three trains with fit, and neither predict nor fit leaves tensors behind', async () => {
    await setBackend('cpu');
    const image = input({ shape: [6, 6, 3] });
    let y = layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2 }).apply(image);
    y = layers.separableConv2d({ filters: 3, kernelSize: 2 }).apply(y);
    y = layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2 }).apply(y);
    const model = new Model({ inputs: image, outputs: y });
    const x = randomNormal([2, 6, 6, 3], 0, 1, { seed: 3 });
    const target = randomNormal([2, 7, 7, 2], 0, 1, { seed: 4 });
    (model.predict(x) as Tensor).dispose();
    const live = memory().numTensors;
    (model.predict(x) as Tensor).dispose();
    expect(memory().numTensors).toBe(live);
    model.compile({ optimizer: 'adam', loss: 'mse' });
    const first = (await model.fit(x, target, { epochs: 1, verbose: 0 })).history.loss;
    const trained = memory().numTensors;
    const later = (await model.fit(x, target, { epochs: 3, verbose: 0 })).history.loss;
    expect(memory().numTensors).toBe(trained);
    expect(later[2]).toBeLessThan(first[0]);
  });

  it('bad input is a clear error naming the layer and the shapes, and leaves the layer unbuilt', () => {
    const dw = layers.depthwiseConv2d({ kernelSize: 3, name: 'dw' });
    expect(() => dw.apply(input({ shape: [8, 3] }))).toThrow('DepthwiseConv2D "dw": expected input of rank 4 (batch, height, width, channels), got (None, 8, 3)');
    expect(() => dw.apply(input({ shape: [2, 5, 1] }))).toThrow('DepthwiseConv2D "dw": the window (3, dilation 1) spans 3, more than the valid-padded input axis of size 2 in (None, 2, 5, 1)');
    expect(dw.built).toBe(false);
    const sep = layers.separableConv2d({ filters: 2, kernelSize: 2, dilationRate: 3, name: 'sep' });
    expect(() => sep.apply(input({ shape: [3, 8, 2] }))).toThrow('SeparableConv2D "sep": the window (2, dilation 3) spans 4, more than the valid-padded input axis of size 3 in (None, 3, 8, 2)');
    expect(sep.built).toBe(false);
    const tr = layers.conv2dTranspose({ filters: 2, kernelSize: 2, padding: 'same', outputPadding: 0, name: 'tr' });
    expect(() => tr.apply(input({ shape: [1, 4, 2] }))).toThrow('Conv2DTranspose "tr": input (None, 1, 4, 2) gives an empty output (axis 1 of length 0)');
    expect(() => tr.apply(input({ shape: [4, 2] }))).toThrow('Conv2DTranspose "tr": expected input of rank 4 (batch, height, width, channels), got (None, 4, 2)');
    expect(tr.built).toBe(false);

    expect(() => layers.depthwiseConv2d({ kernelSize: 3, dataFormat: 'channels_first' as 'channels_last' })).toThrow('DepthwiseConv2D: data_format "channels_first" is not supported');
    expect(() => layers.separableConv2d({ filters: 2, kernelSize: 3, dataFormat: 'channels_first' as 'channels_last' })).toThrow('SeparableConv2D: data_format "channels_first" is not supported');
    expect(() => layers.conv2dTranspose({ filters: 2, kernelSize: 3, dataFormat: 'channels_first' as 'channels_last' })).toThrow('Conv2DTranspose: data_format "channels_first" is not supported');
    expect(() => layers.depthwiseConv2d({ kernelSize: 2.5 })).toThrow('DepthwiseConv2D: kernelSize must be a positive integer or 2 of them, got 2.5');
    expect(() => layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 1.5 })).toThrow('DepthwiseConv2D: depthMultiplier must be a positive integer, got 1.5');
    expect(() => layers.separableConv2d({ filters: 0, kernelSize: 2 })).toThrow('SeparableConv2D: filters must be a positive integer, got 0');
    expect(() => layers.conv2dTranspose({ filters: 2.5, kernelSize: 2 })).toThrow('Conv2DTranspose: filters must be a positive integer, got 2.5');
    expect(() => layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: [2, 1], outputPadding: 1 })).toThrow('Conv2DTranspose: outputPadding must be a non-negative integer or 2 of them, each less than its stride (strides [2,1]), got 1');
    expect(() => layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 })).toThrow('Conv2DTranspose: strides > 1 together with dilationRate > 1 is not supported (as in Keras)');
    expect(() => layers.separableConv2d({ filters: 2, kernelSize: 3, padding: 'causal' as 'valid' })).toThrow('SeparableConv2D: padding must be "valid" or "same", got "causal"');
    expect(() => layers.depthwiseConv2d({ kernelSize: 3, filters: 4 } as never)).toThrow(/DepthwiseConv2D: .*filters/);

    expect(() => layerFromKeras({ class_name: 'DepthwiseConv2D', config: { name: 'd', kernel_size: 3, data_format: 'channels_first' } }, 'model')).toThrow(/DepthwiseConv2D.*channels_first is not/);
    expect(() => layerFromKeras({ class_name: 'SeparableConv2D', config: { name: 's', filters: 2, kernel_size: 3, pointwise_regularizer: { class_name: 'L2', config: {} } } }, 'model')).toThrow(/pointwise_regularizer/);
    expect(() => layerFromKeras({ class_name: 'Conv2DTranspose', config: { name: 't', filters: 2, kernel_size: 3, strides: 2, output_padding: 2 } }, 'model')).toThrow('outputPadding must be a non-negative integer or 2 of them, each less than its stride');
  });
});
