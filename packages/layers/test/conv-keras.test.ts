import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Model, Sequential, initializers, input, layers, loadModel, setBackend, tensor, type Tensor } from '../src/index.ts';
import { values } from './helpers.ts';
import { kerasScript } from './keras-python.ts';

/**
 * Convolution, pooling and image layers across Python Keras 3 (JAX), both ways: models Keras saved
 * (scripts/make_conv_fixtures.py) predict in Strata what they predicted in Keras, and models built and
 * saved by Strata predict in Keras what they predict in Strata (to 1e-5).
 */
const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): string => join(here, 'fixtures', name);
const expected = JSON.parse(readFileSync(fixture('conv-fixtures.json'), 'utf8')) as {
  convnet: { x: number[]; predictions: number[] };
  layers: { image: number[]; sequence: number[]; predictions: number[] };
};
const IMAGE = [3, 12, 10, 3];
const SEQUENCE = [3, 16, 3];

function maxAbsDiff(a: number[], b: number[]): number {
  expect(a).toHaveLength(b.length);
  return Math.max(0, ...a.map((v, i) => Math.abs(v - b[i])));
}

describe.each(['cpu', 'webgpu'] as const)('.keras convolution models from Python Keras 3 on %s', (backend) => {
  it("the book's convnet predicts what Keras predicted", async () => {
    await setBackend(backend);
    const model = await loadModel(fixture('conv-convnet.keras'));
    expect(model.countParams()).toBe(104_202);
    expect(maxAbsDiff(await values(model.predict(tensor(expected.convnet.x, [3, 28, 28, 1])) as Tensor), expected.convnet.predictions)).toBeLessThanOrEqual(1e-5);
  });

  it('a model using every convolution, pooling and image layer predicts what Keras predicted', async () => {
    await setBackend(backend);
    const model = await loadModel(fixture('conv-layers.keras'));
    const out = model.predict([tensor(expected.layers.image, IMAGE), tensor(expected.layers.sequence, SEQUENCE)]) as Tensor;
    expect(maxAbsDiff(await values(out), expected.layers.predictions)).toBeLessThanOrEqual(1e-5);
  });
});

/** The same architecture as make_conv_fixtures.py's every_layer, built in Strata with seeded weights. */
function everyLayer(): Model {
  let seed = 40;
  const init = () => initializers.glorotUniform({ seed: seed++ });
  const bias = () => initializers.randomNormal({ stddev: 0.1, seed: seed++ });
  const conv = (args: Parameters<typeof layers.conv2d>[0]) => ({ kernelInitializer: init(), biasInitializer: bias(), ...args });
  const image = input({ shape: [12, 10, 3], name: 'image' });
  let x = layers.rescaling({ scale: 1 / 4, offset: -0.5 }).apply(image);
  x = layers.zeroPadding2d({ padding: [[1, 2], [0, 1]] }).apply(x);
  x = layers.conv2d(conv({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'relu' })).apply(x);
  x = layers.conv2d(conv({ filters: 6, kernelSize: [2, 3], dilationRate: 2, padding: 'same', groups: 2 })).apply(x);
  x = layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x);
  x = layers.upSampling2d({ size: [2, 1] }).apply(x);
  x = layers.averagePooling2d({ poolSize: 2, strides: 1, padding: 'same' }).apply(x);
  const a = layers.globalAveragePooling2d().apply(x);
  const b = layers.globalMaxPooling2d().apply(x);
  const seq = input({ shape: [16, 3], name: 'sequence' });
  let s = layers.conv1d(conv({ filters: 5, kernelSize: 4, padding: 'same', activation: 'relu' })).apply(seq);
  s = layers.conv1d({ filters: 4, kernelSize: 3, strides: 2, useBias: false, kernelInitializer: init() }).apply(s);
  s = layers.maxPooling1d({ poolSize: 2 }).apply(s);
  s = layers.averagePooling1d({ poolSize: 2, strides: 1, padding: 'same' }).apply(s);
  const c = layers.globalMaxPooling1d().apply(s);
  const d = layers.globalAveragePooling1d().apply(s);
  const merged = layers.concatenate().apply([a, b, c, d]);
  const out = layers.dense({ units: 3, activation: 'softmax', kernelInitializer: init(), biasInitializer: bias() }).apply(merged);
  return new Model({ inputs: [image, seq], outputs: out });
}

function bookConvnet(): Sequential {
  let seed = 60;
  const conv = (filters: number) => layers.conv2d({
    filters, kernelSize: 3, activation: 'relu', kernelInitializer: initializers.glorotUniform({ seed: seed++ }), biasInitializer: initializers.randomNormal({ stddev: 0.1, seed: seed++ }),
  });
  return new Sequential([
    layers.input({ shape: [28, 28, 1] }), conv(32), layers.maxPooling2d({ poolSize: 2 }), conv(64), layers.maxPooling2d({ poolSize: 2 }), conv(128),
    layers.flatten(), layers.dense({ units: 10, activation: 'softmax', biasInitializer: initializers.randomNormal({ stddev: 0.1, seed: seed++ }) }),
  ]);
}

describe('convolution models saved by Strata load in Python Keras 3', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-keras-conv-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("the book's convnet and the every-layer model: Keras predicts what Strata predicts", async () => {
    await setBackend('cpu');
    const net = bookConvnet();
    const every = everyLayer();
    const netPath = join(dir, 'convnet.keras');
    const everyPath = join(dir, 'layers.keras');
    await net.save(netPath);
    await every.save(everyPath);
    const ours = [
      await values(net.predict(tensor(expected.convnet.x, [3, 28, 28, 1])) as Tensor),
      await values(every.predict([tensor(expected.layers.image, IMAGE), tensor(expected.layers.sequence, SEQUENCE)]) as Tensor),
    ];
    const theirs = await kerasScript<number[][][]>('keras_predict.py', [
      { path: netPath, x: expected.convnet.x, shape: [3, 28, 28, 1] },
      { path: everyPath, inputs: [{ x: expected.layers.image, shape: IMAGE }, { x: expected.layers.sequence, shape: SEQUENCE }] },
    ]);
    expect(maxAbsDiff(theirs[0][0], ours[0])).toBeLessThanOrEqual(1e-5);
    expect(maxAbsDiff(theirs[1][0], ours[1])).toBeLessThanOrEqual(1e-5);
    // A fit-for-purpose check: the predictions are not all the same (the weights did travel).
    expect(new Set(ours[1].map((v) => v.toFixed(4))).size).toBeGreaterThan(3);
  }, 120_000);
});
