import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import * as S from '../src/index.ts';
import { Sequential, initializers, layers, loadModel, modelToBytes, setBackend, slice, tensor, toCategorical, type Tensor } from '../src/index.ts';
import { decodeWeights, encodeWeights } from '../src/io/weights-h5.ts';
import { modelState, separable } from './helpers.ts';

/**
 * docs/errors.md from row 44 on: bad values, labels, tensor() inputs, slice strings, corrupt .keras files,
 * callbacks, and the argument errors of the convolution, pooling, recurrent and normalization layers.
 * Every case runs against one model that has trained a batch (so Adam has moments and an iteration
 * count) and checks its weights and optimizer variables are exactly as before, value for value.
 */

const n = 30;
const { x, labels } = separable(n);
const y = toCategorical(labels, 3);

function compiled(optimizer = 'adam'): Sequential {
  const m = new Sequential([
    layers.dense({ units: 8, activation: 'relu', inputShape: [4], kernelInitializer: initializers.glorotUniform({ seed: 1 }), name: 'hidden' }),
    layers.dense({ units: 3, activation: 'softmax', kernelInitializer: initializers.glorotUniform({ seed: 2 }) }),
  ]);
  m.compile({ optimizer, loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const model = compiled();
await model.trainOnBatch(x, y);
const rmsprop = compiled('rmsprop');
await rmsprop.trainOnBatch(x, y);

/** x with `value` at feature 0 of `row`. */
const withValue = (row: number, value: number): Tensor => S.tidy(() => S.add(x, tensor(Array.from({ length: n }, (_, i) => [i === row ? value : 0, 0, 0, 0]))));

const fitOpts = { batchSize: 10, shuffle: false, verbose: 0 } as const;
const rejected = (first: number): RegExp => new RegExp(`^fit: the loss, a gradient or an updated weight was not finite \\(NaN or Infinity\\) in epoch 1, step 1/3, the batch of samples \\[${Array.from({ length: 10 }, (_, i) => first + i).join(', ')}\\] of x; training stopped`);

/** The .keras bytes of `compiled()`, unzipped. */
const entries = unzipSync(await modelToBytes(compiled()));
const config = JSON.parse(strFromU8(entries['config.json'])) as { config: { layers: Array<{ config: Record<string, unknown> }> } };
const zip = (changed: Record<string, Uint8Array>, level: 0 | 9 = 0): Uint8Array => zipSync({ ...entries, ...changed }, { level });
const withLayers = (edit: (ls: Array<{ config: Record<string, unknown> }>) => void): Uint8Array => {
  const c = structuredClone(config);
  edit(c.config.layers);
  return zip({ 'config.json': strToU8(JSON.stringify(c)) });
};
const intKernel = async (): Promise<Uint8Array> => {
  const content = await decodeWeights(entries['model.weights.h5']);
  const first = [...content.layers.values()][0];
  const vars = first.vars as Array<{ shape: number[]; data: Float32Array | Int32Array }>;
  vars[0] = { shape: vars[0].shape, data: Int32Array.from(vars[0].data) };
  return zip({ 'model.weights.h5': await encodeWeights(content) });
};

type Row = [row: string, call: () => unknown, message: RegExp | string, target?: Sequential];

const rows: Row[] = [
  // bad values: the step guard (rows 44–46) leaves the model as it was before the first step
  ['44 fit: NaN in x', () => model.fit(withValue(3, NaN), y, fitOpts), rejected(0)],
  ['45 fit: -Infinity in x', () => model.fit(withValue(7, -Infinity), y, fitOpts), rejected(0)],
  ['46 fit: huge values (1e30) overflow RMSprop\'s slots', () => rmsprop.fit(S.mul(x, 1e30), y, fitOpts), rejected(0), rmsprop],
  // bad labels
  ['48 toCategorical: label >= numClasses', () => toCategorical([0, 3], 3), 'toCategorical: label 3 at index 1 is not below numClasses 3 (valid: integers 0 to 2)'],
  ['49 toCategorical: negative label', () => toCategorical([-1], 3), 'toCategorical: label -1 at index 0 is negative (valid: integers 0 to 2)'],
  ['50 toCategorical: fractional label', () => toCategorical(tensor([0, 1.5]), 3), 'toCategorical: label 1.5 at index 1 is not an integer (valid: integers 0 to 2)'],
  ['51 evaluate: fractional sparse label', () => sparse().evaluate(x, tensor(Array.from({ length: n }, (_, i) => (i === 4 ? 0.5 : 1))), { verbose: 0 }), 'evaluate: label 0.5 at index 4 is not a valid class index for sparse_categorical_crossentropy with 3 classes (valid: integers 0 to 2)'],
  // tensor() inputs
  ['52 tensor: uint8 overflow', () => tensor([300, -1], [2], 'uint8'), "tensor: value 300 at flat index 0 does not fit uint8 (integers 0 to 255); to wrap or saturate on purpose, cast a float32 tensor: cast(tensor(values), 'uint8')"],
  ['53 tensor: int32 overflow', () => tensor([3e9], [1], 'int32'), 'tensor: value 3000000000 at flat index 0 does not fit int32 (integers -2147483648 to 2147483647)'],
  ['54 tensor: NaN as int32', () => tensor(Float32Array.of(1, NaN), [2], 'int32'), 'tensor: value NaN at flat index 1 does not fit int32'],
  ['55 tensor: typed array of the wrong length for the shape', () => tensor(new Float32Array(5), [2, 3]), 'tensor: 5 values cannot fill shape (2,3) (6 elements)'],
  ['56 tensor: mixed nesting depth', () => tensor([1, [2]] as never), 'tensor: element at [1] is an array where its siblings hold numbers (mixed nesting depth; inferred shape (2,))'],
  ['57 tensor: a typed array inside a nested array', () => tensor([Float32Array.of(1, 2)] as never), 'tensor: element at [0] is a Float32Array inside a nested array; nested arrays hold numbers or booleans (give one flat typed array and a shape instead)'],
  ['58 tensor: undefined element', () => tensor([1, undefined] as never), 'tensor: element at [1] is undefined (undefined); expected a number or boolean'],
  ['59 tensor: null', () => tensor(null as never), 'tensor: expected a number, boolean, nested array or typed array, got null'],
  // slice strings
  ['60 slice: not an integer', () => slice(x, 'a:b'), "slice: 'a:b' in 'a:b' is not an integer index or start:stop range"],
  ['61 slice: a step other than 1', () => slice(x, '::2'), "slice: step '2' in '::2' is not supported; only step 1 is"],
  ['62 slice: too many colons', () => slice(x, '1:2:1:4'), "slice: '1:2:1:4' in '1:2:1:4' is not a valid range"],
  ['63 slice: more indices than axes', () => slice(x, '1, 2, 3'), 'slice: 3 indices given for a tensor of rank 2 (shape (30,4))'],
  ['64 slice: index out of range', () => slice(x, ':, 4'), 'slice: index 4 is out of range for axis 1 of size 4 (shape (30,4))'],
  ['65 slice: fractional bound', () => slice(x, '1.5:'), "slice: '1.5:' in '1.5:' is not an integer index or start:stop range"],
  // corrupt .keras files (truncated zips and CRC mismatches: io-errors.test.ts)
  ['67 loadModel: config.json not JSON', () => loadModel(zip({ 'config.json': strToU8('{"class_name": "Sequential", ') })), /^loadModel: config.json is not valid JSON \(/],
  ['68 loadModel: a layer the weights file lacks', () => loadModel(withLayers((ls) => ls.push({ ...structuredClone(ls[2]), config: { ...ls[2].config, name: 'extra' } }))), /^loadModel: layer "extra" \(Dense\) has 2 weights, the file has 0 at layers\/dense_\d+/],
  ['69 loadModel: weights for a layer the config lacks', () => loadModel(withLayers((ls) => ls.splice(2, 1))), /^loadModel: the file has weights for layers\/dense_\d+ \("dense_\d+"\), which model "sequential_\d+" does not have \(its layers: dense\)/],
  ['70 loadModel: a weight of the wrong dtype', async () => loadModel(await intKernel()), /^loadModel: layer "hidden" \(Dense\): weight "hidden\/kernel" expects shape \(4,8\) float32, the file has \(4,8\) int32/],
  ['71 loadModel: a zip bomb', () => loadModel(zip({ 'model.weights.h5': new Uint8Array(80 * 2 ** 20) }, 9)), /^loadModel: not a valid .keras file: entry "model.weights.h5" would inflate \d+ bytes to 83886080 \(more than 100 times, beyond 64 MiB\): refused as a zip bomb/],
  ['72 loadModel: metadata of another Keras', () => loadModel(zip({ 'metadata.json': strToU8('{"keras_version": "2.15.0"}') })), /^loadModel: metadata.json: 'keras_version' a Keras 3 file is needed \(keras_version 3.x\)/],
  // callbacks and disposal during fit
  ['73 fit: a callback that throws', () => model.fit(x, y, { ...fitOpts, callbacks: [{ onTrainBegin: () => { throw new Error('callback failed'); } }] }), /^callback failed$/],
  ['74 fit: dispose() from a callback', () => model.fit(x, y, { ...fitOpts, callbacks: [{ onTrainBegin: () => model.dispose() }] }), /^dispose: model "sequential\S*" is training; wait for fit\(\) to finish/],
  // the new layers' arguments
  ['75 Conv2D: kernelSize 0', () => layers.conv2d({ filters: 2, kernelSize: 0 }), 'Conv2D: kernelSize must be a positive integer or 2 of them, got 0'],
  ['76 Conv2D: filters 0', () => layers.conv2d({ filters: 0, kernelSize: 3 }), 'Conv2D: filters must be a positive integer, got 0'],
  ['77 Conv2D: unknown padding', () => layers.conv2d({ filters: 2, kernelSize: 3, padding: 'full' as never }), 'Conv2D: padding must be "valid" or "same", got "full"'],
  ['78 Conv2D: strides with dilation', () => layers.conv2d({ filters: 2, kernelSize: 3, strides: 2, dilationRate: 2 }), 'Conv2D: strides > 1 together with dilationRate > 1 is not supported (as in Keras), got strides [2,2] and dilationRate [2,2]'],
  ['79 Conv2D: a window larger than the input', () => new Sequential([layers.conv2d({ filters: 2, kernelSize: 5, inputShape: [3, 3, 1], name: 'big' })]).predict(S.zeros([1, 3, 3, 1])), /^Conv2D "big": the window \(5, dilation 1\) spans 5, more than the valid-padded input axis of size 3 in \(None, 3, 3, 1\)/],
  ['80 MaxPooling2D: negative poolSize', () => layers.maxPooling2d({ poolSize: -1 }), 'MaxPooling2D: poolSize must be a positive integer or 2 of them, got -1'],
  ['81 LSTM: units 0', () => layers.lstm({ units: 0 }), 'LSTMCell: units must be a positive integer, got 0'],
  ['82 GRU: resetAfter not a boolean', () => layers.gru({ units: 4, resetAfter: 'yes' as never }), 'GRUCell: resetAfter must be true or false, got "yes"'],
  ['83 LSTM: returnSequences not a boolean', () => layers.lstm({ units: 4, returnSequences: 1 as never }), 'LSTM: returnSequences must be true or false, got 1'],
  ['84 BatchNormalization: momentum 2', () => layers.batchNormalization({ momentum: 2 }), /^BatchNormalization "batch_normalization\S*": momentum must be in \[0, 1\], got 2/],
  ['85 LayerNormalization: negative epsilon', () => layers.layerNormalization({ epsilon: -1 }), /^LayerNormalization "layer_normalization\S*": epsilon must be a positive number, got -1/],
  ['86 Embedding: inputDim 0', () => layers.embedding({ inputDim: 0, outputDim: 2 }), 'Embedding: inputDim must be a positive integer, got 0'],
  ['87 Dropout: rate 1', () => layers.dropout({ rate: 1 }), 'Dropout: rate must be in [0, 1), got 1'],
];

function sparse(): Sequential {
  const m = compiled();
  m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
  return m;
}

describe('docs/errors.md: rows 44 on', () => {
  it.each(rows)('%s', async (_, call, message, target = model) => {
    const before = await modelState(target);
    await expect(Promise.resolve().then(call)).rejects.toThrow(message);
    expect(await modelState(target)).toEqual(before);
  });

  it('47 fit: denormal inputs are not an error; training runs and stays finite', async () => {
    const m = compiled();
    const history = await m.fit(S.mul(x, 1e-40), y, fitOpts);
    expect(history.history.loss.every(Number.isFinite)).toBe(true);
    expect((await modelState(m)).flat().every(Number.isFinite)).toBe(true);
  });

  it('73 after a callback threw, the model is not locked', async () => {
    await model.fit(x, y, { ...fitOpts, callbacks: [{ onEpochEnd: () => { throw new Error('late'); } }] }).catch(() => undefined);
    await expect(model.fit(x, y, fitOpts)).resolves.toBeDefined();
  });
});

/** Row 66: size-0 tensors are not errors in any op family (numpy's results), on every backend. */
describe.each(['cpu', 'webgpu'] as const)('66 size-0 tensors on %s', (backend) => {
  afterAll(() => setBackend('cpu'));

  it('element-wise, matmul, reductions, softmax, convolution, pooling, gather, concat, predict', async () => {
    await setBackend(backend);
    const empty = S.zeros([0, 3]);
    const shapes = (t: Tensor): number[] => [...t.shape];
    expect(shapes(S.add(empty, S.ones([3])))).toEqual([0, 3]);
    expect(Array.from(await S.matmul(S.zeros([2, 0]), S.zeros([0, 3])).data())).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(await S.sum(empty, 0).data())).toEqual([0, 0, 0]);
    expect(Array.from(await S.prod(S.zeros([0])).data())).toEqual([1]);
    expect(Number.isNaN((await S.mean(S.zeros([0])).data())[0])).toBe(true);
    expect(shapes(S.softmax(empty))).toEqual([0, 3]);
    expect(shapes(S.conv2d(S.zeros([0, 4, 4, 1]), S.zeros([3, 3, 1, 2])))).toEqual([0, 2, 2, 2]);
    expect(Array.from(await S.conv2d(S.zeros([1, 2, 2, 0]), S.zeros([1, 1, 0, 2])).data())).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(shapes(S.maxPool2d(S.zeros([0, 4, 4, 1]), { poolSize: [2, 2] }))).toEqual([0, 2, 2, 1]);
    expect(shapes(S.gather(S.zeros([4, 2]), tensor([], [0], 'int32')))).toEqual([0, 2]);
    expect(shapes(S.concat([S.zeros([0, 2]), S.ones([1, 2])], 0))).toEqual([1, 2]);
    const m = new Sequential([layers.dense({ units: 2, inputShape: [3] })]);
    expect(shapes(m.predict(empty) as Tensor)).toEqual([0, 2]);
  });
});
