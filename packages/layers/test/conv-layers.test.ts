import { describe, expect, it } from 'vitest';
import { Conv2D, Sequential, input, layers, setBackend, tensor, type Layer } from '../src/index.ts';
import { values } from './helpers.ts';

/** The book's MNIST convnet (Deep Learning with Python, chapter 8), layer names as Keras gives them. */
function bookConvnet(): Sequential {
  return new Sequential([
    layers.input({ shape: [28, 28, 1] }),
    layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', name: 'conv2d' }),
    layers.maxPooling2d({ poolSize: 2, name: 'max_pooling2d' }),
    layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu', name: 'conv2d_1' }),
    layers.maxPooling2d({ poolSize: 2, name: 'max_pooling2d_1' }),
    layers.conv2d({ filters: 128, kernelSize: 3, activation: 'relu', name: 'conv2d_2' }),
    layers.flatten({ name: 'flatten' }),
    layers.dense({ units: 10, activation: 'softmax', name: 'dense' }),
  ], { name: 'sequential' });
}

describe('convolution and pooling layers', () => {
  it("summary of the book's convnet is Keras 3's table: 104,202 params", () => {
    const lines: string[] = [];
    bookConvnet().summary((line) => lines.push(line));
    expect(lines.join('\n')).toBe([
      'Model: "sequential"',
      '┏━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━┓',
      '┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃',
      '┡━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━┩',
      '│ conv2d (Conv2D)                 │ (None, 26, 26, 32)     │           320 │',
      '├─────────────────────────────────┼────────────────────────┼───────────────┤',
      '│ max_pooling2d (MaxPooling2D)    │ (None, 13, 13, 32)     │             0 │',
      '├─────────────────────────────────┼────────────────────────┼───────────────┤',
      '│ conv2d_1 (Conv2D)               │ (None, 11, 11, 64)     │        18,496 │',
      '├─────────────────────────────────┼────────────────────────┼───────────────┤',
      '│ max_pooling2d_1 (MaxPooling2D)  │ (None, 5, 5, 64)       │             0 │',
      '├─────────────────────────────────┼────────────────────────┼───────────────┤',
      '│ conv2d_2 (Conv2D)               │ (None, 3, 3, 128)      │        73,856 │',
      '├─────────────────────────────────┼────────────────────────┼───────────────┤',
      '│ flatten (Flatten)               │ (None, 1152)           │             0 │',
      '├─────────────────────────────────┼────────────────────────┼───────────────┤',
      '│ dense (Dense)                   │ (None, 10)             │        11,530 │',
      '└─────────────────────────────────┴────────────────────────┴───────────────┘',
      ' Total params: 104,202 (407.04 KB)',
      ' Trainable params: 104,202 (407.04 KB)',
      ' Non-trainable params: 0 (0.00 B)',
    ].join('\n'));
  });

  it('output shapes and parameter counts of every layer, as Keras computes them', () => {
    const cases: [Layer, number[], (number | null)[], number][] = [
      [layers.conv2d({ filters: 6, kernelSize: [2, 3], strides: 2, padding: 'same', groups: 3 }), [9, 8, 3], [null, 5, 4, 6], 2 * 3 * 1 * 6 + 6],
      [layers.conv2d({ filters: 4, kernelSize: 3, dilationRate: 2, useBias: false }), [9, 8, 2], [null, 5, 4, 4], 3 * 3 * 2 * 4],
      [layers.conv1d({ filters: 5, kernelSize: 4, strides: 3 }), [17, 2], [null, 5, 5], 4 * 2 * 5 + 5],
      [layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }), [7, 6, 2], [null, 4, 3, 2], 0],
      [layers.averagePooling2d({ poolSize: [2, 3] }), [7, 6, 2], [null, 3, 2, 2], 0],
      [layers.maxPooling1d(), [7, 3], [null, 3, 3], 0],
      [layers.averagePooling1d({ poolSize: 3, strides: 1, padding: 'same' }), [7, 3], [null, 7, 3], 0],
      [layers.globalAveragePooling2d(), [5, 4, 3], [null, 3], 0],
      [layers.globalMaxPooling2d({ keepdims: true }), [5, 4, 3], [null, 1, 1, 3], 0],
      [layers.globalAveragePooling1d(), [5, 3], [null, 3], 0],
      [layers.globalMaxPooling1d(), [5, 3], [null, 3], 0],
      [layers.zeroPadding2d({ padding: [[1, 2], [0, 3]] }), [5, 4, 3], [null, 8, 7, 3], 0],
      [layers.upSampling2d({ size: [2, 3] }), [5, 4, 3], [null, 10, 12, 3], 0],
      [layers.rescaling({ scale: 1 / 255 }), [5, 4, 3], [null, 5, 4, 3], 0],
    ];
    for (const [layer, shape, out, params] of cases) {
      const y = layer.apply(input({ shape }));
      expect(y.shape, layer.className).toEqual(out);
      expect(layer.countParams(), layer.className).toBe(params);
    }
  });

  it('ZeroPadding2D, UpSampling2D and Rescaling compute what they say (CPU and WebGPU)', async () => {
    for (const backend of ['cpu', 'webgpu'] as const) {
      await setBackend(backend);
      const x = tensor([1, 2, 3, 4], [1, 2, 2, 1]);
      expect(await values(layers.zeroPadding2d({ padding: [[1, 0], [0, 1]] }).apply(x))).toEqual([0, 0, 0, 1, 2, 0, 3, 4, 0]);
      expect(await values(layers.upSampling2d({ size: [1, 2] }).apply(x))).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
      expect(await values(layers.rescaling({ scale: 0.5, offset: 1 }).apply(tensor([2, 4], [2], 'uint8')))).toEqual([2, 3]);
    }
  });

  it('bad input is a clear error naming the layer and the shapes, and leaves the layer unbuilt', () => {
    const conv = new Conv2D({ filters: 2, kernelSize: 3, name: 'c' });
    expect(() => conv.apply(input({ shape: [28, 28] }))).toThrow('Conv2D "c": expected input of rank 4 (batch, height, width, channels), got (None, 28, 28)');
    expect(conv.built).toBe(false);
    expect(() => conv.apply(input({ shape: [2, 5, 1] }))).toThrow('Conv2D "c": the window (3, dilation 1) spans 3, more than the valid-padded input axis of size 2 in (None, 2, 5, 1)');
    expect(conv.built).toBe(false);
    expect(() => layers.conv2d({ filters: 2, kernelSize: 3, dataFormat: 'channels_first' as 'channels_last' })).toThrow('Conv2D: data_format "channels_first" is not supported; Strata\'s image layers are channels_last only');
    expect(() => layers.conv2d({ filters: 2, kernelSize: 2.5 })).toThrow('Conv2D: kernelSize must be a positive integer or 2 of them, got 2.5');
    expect(() => layers.conv2d({ filters: 1.5, kernelSize: 2 })).toThrow('Conv2D: filters must be a positive integer, got 1.5');
    expect(() => layers.maxPooling2d({ poolSize: [2, 0] })).toThrow('MaxPooling2D: poolSize must be a positive integer or 2 of them, got [2,0]');
    expect(() => layers.conv1d({ filters: 2, kernelSize: 2, padding: 'causal' as 'valid' })).toThrow('Conv1D: padding must be "valid" or "same", got "causal"');
    expect(() => layers.conv2d({ filters: 4, kernelSize: 2, groups: 3 })).toThrow('Conv2D: groups must be a positive integer dividing filters (4), got 3');
    expect(() => layers.conv2d({ filters: 4, kernelSize: 2, groups: 2 }).apply(input({ shape: [4, 4, 3] }))).toThrow('input channels (3) must be divisible by groups (2)');
    expect(() => layers.averagePooling2d({} as { poolSize: number })).toThrow('AveragePooling2D: poolSize is required');
    expect(() => layers.globalAveragePooling2d().apply(input({ shape: [4, 3] }))).toThrow('expected input of rank 4 (batch, height, width, channels), got (None, 4, 3)');
    expect(() => layers.conv2d({ filters: 2, kernelSize: 2, kernelSize2: 3 } as never)).toThrow(/Conv2D: .*kernelSize2/);
  });
});
