import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Dense, Layer, Model, Sequential, SymbolicTensor, cast, initializers, input, layers, loadModel, mul, notEqual, onesLike, randomNormal, registerSerializable, tensor,
  type CallOptions, type LayerArgs, type LayerConfig, type LayerShape, type Tensor,
} from '../src/index.ts';
import { values } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'strata-functional-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seeded = (seed: number) => initializers.glorotUniform({ seed });
const close = (a: number[], b: number[], tol = 1e-5): void => {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(tol));
};

/** The two-input, two-output model at a small size, every name explicit (summary and configs are exact). */
function twoHeads(): Model<SymbolicTensor[]> {
  const image = input({ shape: [12], name: 'image' });
  const meta = input({ shape: [4], name: 'meta' });
  const a = layers.dense({ units: 16, activation: 'relu', name: 'dense', kernelInitializer: seeded(1) }).apply(image);
  const b = layers.dense({ units: 8, activation: 'relu', name: 'dense_1', kernelInitializer: seeded(2) }).apply(meta);
  const merged = layers.concatenate({ name: 'merged' }).apply([a, b]);
  const digit = layers.dense({ units: 3, activation: 'softmax', name: 'digit', kernelInitializer: seeded(3) }).apply(merged);
  const parity = layers.dense({ units: 1, activation: 'sigmoid', name: 'parity', kernelInitializer: seeded(4) }).apply(merged);
  return new Model({ inputs: [image, meta], outputs: [digit, parity], name: 'functional' });
}

function twoHeadsData(n: number): { x: { image: Tensor; meta: Tensor }; y: { digit: Tensor; parity: Tensor } } {
  const labels = Array.from({ length: n }, (_, i) => i % 3);
  const image = tensor(Array.from({ length: n }, (_, i) => Array.from({ length: 12 }, (_, j) => (j % 3 === labels[i] ? 1 : 0) + 0.1 * Math.sin(i + j))));
  const meta = tensor(Array.from({ length: n }, (_, i) => [labels[i] % 2, 1 - (labels[i] % 2), Math.cos(i), 0.5]));
  return { x: { image, meta }, y: { digit: tensor(labels, [n], 'int32'), parity: tensor(labels.map((l) => [l % 2]), [n, 1]) } };
}

describe('symbolic tensors and nodes', () => {
  it('input() gives a symbolic tensor; apply records a node; a layer applied twice shares its weights', () => {
    const x = input({ shape: [5], name: 'left' });
    expect(x).toBeInstanceOf(SymbolicTensor);
    expect(x.shape).toEqual([null, 5]);
    expect(x.dtype).toBe('float32');
    expect(x.name).toBe('left');
    const y = input({ shape: [5], name: 'right' });
    const shared = layers.dense({ units: 4, name: 'shared_dense' });
    const a = shared.apply(x);
    const b = shared.apply(y);
    expect(a.shape).toEqual([null, 4]);
    expect(shared.inboundNodes).toHaveLength(2);
    expect(a.node.layer).toBe(shared);
    expect(a.node.inputs).toEqual([x]);
    expect(() => shared.output).toThrow(/called 2 times/);
    const model = new Model({ inputs: [x, y], outputs: layers.add({ name: 'sum' }).apply([a, b]) });
    expect(model.weights).toHaveLength(2); // one kernel and one bias, used twice
    expect(model.countParams()).toBe(24);
  });

  it('model.layers (inputs first, Keras order), getLayer, inputs, outputs, inputNames, outputNames', () => {
    const model = twoHeads();
    expect(model.layers.map((l) => l.name)).toEqual(['image', 'meta', 'dense', 'dense_1', 'merged', 'digit', 'parity']);
    expect(model.getLayer('merged').className).toBe('Concatenate');
    expect(model.getLayer(2).name).toBe('dense');
    expect(() => model.getLayer('nope')).toThrow(/no layer named "nope" \(its layers: image, meta, dense/);
    expect(model.inputs.map((t) => t.shape)).toEqual([[null, 12], [null, 4]]);
    expect(model.outputs.map((t) => t.shape)).toEqual([[null, 3], [null, 1]]);
    expect(model.inputNames).toEqual(['image', 'meta']);
    expect(model.outputNames).toEqual(['digit', 'parity']);
    expect(model.className).toBe('Functional');
  });
});

describe('summary', () => {
  it("prints Keras 3's functional table with Connected to (the same lines Python Keras prints for this model)", () => {
    const lines: string[] = [];
    twoHeads().summary((l) => lines.push(l));
    expect(lines).toEqual([
      'Model: "functional"',
      '┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓',
      '┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃',
      '┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩',
      '│ image (InputLayer)  │ (None, 12)        │          0 │ -                 │',
      '├─────────────────────┼───────────────────┼────────────┼───────────────────┤',
      '│ meta (InputLayer)   │ (None, 4)         │          0 │ -                 │',
      '├─────────────────────┼───────────────────┼────────────┼───────────────────┤',
      '│ dense (Dense)       │ (None, 16)        │        208 │ image[0][0]       │',
      '├─────────────────────┼───────────────────┼────────────┼───────────────────┤',
      '│ dense_1 (Dense)     │ (None, 8)         │         40 │ meta[0][0]        │',
      '├─────────────────────┼───────────────────┼────────────┼───────────────────┤',
      '│ merged              │ (None, 24)        │          0 │ dense[0][0],      │',
      '│ (Concatenate)       │                   │            │ dense_1[0][0]     │',
      '├─────────────────────┼───────────────────┼────────────┼───────────────────┤',
      '│ digit (Dense)       │ (None, 3)         │         75 │ merged[0][0]      │',
      '├─────────────────────┼───────────────────┼────────────┼───────────────────┤',
      '│ parity (Dense)      │ (None, 1)         │         25 │ merged[0][0]      │',
      '└─────────────────────┴───────────────────┴────────────┴───────────────────┘',
      ' Total params: 348 (1.36 KB)',
      ' Trainable params: 348 (1.36 KB)',
      ' Non-trainable params: 0 (0.00 B)',
    ]);
  });

  it('a chain with a nested model keeps the three-column table, as Keras does', () => {
    const ein = input({ shape: [8], name: 'ein' });
    const encoder = new Model({ inputs: ein, outputs: layers.dense({ units: 3, name: 'enc_dense' }).apply(ein), name: 'encoder' });
    const x = input({ shape: [8], name: 'x_in' });
    const model = new Model({ inputs: x, outputs: layers.dense({ units: 2, name: 'head_dense' }).apply(encoder.apply(x)), name: 'outer' });
    const lines: string[] = [];
    model.summary((l) => lines.push(l));
    expect(lines[2]).toBe('┃ Layer (type)                    ┃ Output Shape           ┃       Param # ┃');
    expect(lines).toContain('│ encoder (Functional)            │ (None, 3)              │            27 │');
  });
});

describe('training and inference with several inputs and outputs', () => {
  it('per-output losses, loss weights and metrics; logs named as Keras (digit_loss, digit_accuracy); records or lists', async () => {
    const model = twoHeads();
    model.compile({ optimizer: 'adam', loss: { digit: 'sparse_categorical_crossentropy', parity: 'binary_crossentropy' }, lossWeights: { digit: 1, parity: 0.2 }, metrics: { digit: ['accuracy'] } });
    expect(model.metricsNames).toEqual(['loss', 'digit_loss', 'parity_loss', 'digit_accuracy']);
    const { x, y } = twoHeadsData(48);
    const before = await model.evaluate(x, y, { verbose: 0, returnDict: true });
    expect(before.loss).toBeCloseTo(before.digit_loss + 0.2 * before.parity_loss, 5);
    const history = await model.fit(x, y, { epochs: 30, batchSize: 16, verbose: 0 });
    expect(Object.keys(history.history).sort()).toEqual(['digit_accuracy', 'digit_loss', 'loss', 'parity_loss']);
    const after = await model.evaluate([x.image, x.meta], [y.digit, y.parity], { verbose: 0 });
    expect(after[1]).toBeLessThan(before.digit_loss * 0.5);
    expect(after[2]).toBeLessThan(before.parity_loss * 0.8);
    expect(after[3]).toBe(1);

    const [digits, parity] = model.predict({ image: x.image, meta: x.meta }, { batchSize: 20 });
    expect(digits.shape).toEqual([48, 3]);
    expect(parity.shape).toEqual([48, 1]);
    const whole = model.predictOnBatch([x.image, x.meta]);
    close(await values(digits), await values(whole[0]));
  });

  it('outputs given as a record: predict returns a record; one loss string serves every output', async () => {
    const a = input({ shape: [3], name: 'a_in' });
    const h = layers.dense({ units: 4, activation: 'tanh', name: 'rec_hidden' }).apply(a);
    const model = new Model({ inputs: { features: a }, outputs: { first: layers.dense({ units: 1, name: 'rec_first' }).apply(h), second: layers.dense({ units: 2, name: 'rec_second' }).apply(h) } });
    expect(model.inputNames).toEqual(['features']);
    expect(model.outputNames).toEqual(['first', 'second']);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    expect(model.metricsNames).toEqual(['loss', 'first_loss', 'second_loss']);
    const x = randomNormal([10, 3], 0, 1, { seed: 3 });
    const out = model.predict({ features: x });
    expect(Object.keys(out)).toEqual(['first', 'second']);
    expect(out.second.shape).toEqual([10, 2]);
    const [loss] = await model.trainOnBatch({ features: x }, { first: tensor(new Array(10).fill([0])), second: tensor(new Array(10).fill([1, -1])) });
    expect(Number.isFinite(loss)).toBe(true);
  });

  it('a sub-model from inner tensors extracts features; Sequential is a Model and nests in a functional model', async () => {
    const model = twoHeads();
    const features = new Model({ inputs: model.inputs, outputs: model.getLayer('merged').output });
    const { x } = twoHeadsData(5);
    const f = features.predict(x);
    expect(f.shape).toEqual([5, 24]);
    // the extracted features are what the heads read: digit = softmax(f · kernel + bias)
    const digit = model.getLayer('digit') as Dense;
    const [expected] = model.predict(x);
    close(await values(digit.apply(f)), await values(expected));

    const stack = new Sequential([layers.dense({ units: 6, activation: 'relu', inputShape: [4], name: 'seq_a' }), layers.dense({ units: 3, name: 'seq_mid' })]);
    stack.pop();
    stack.add(layers.dense({ units: 2, name: 'seq_b' }));
    expect(stack).toBeInstanceOf(Model);
    // rebuilt chains leave one node per layer, so a Sequential's inner outputs can feed a new model too
    const hidden = new Model({ inputs: stack.inputs, outputs: stack.getLayer('seq_a').output });
    expect(hidden.outputs[0].shape).toEqual([null, 6]);
    const i = input({ shape: [4], name: 'seq_in' });
    const outer = new Model({ inputs: i, outputs: layers.activation({ activation: 'softmax', name: 'seq_softmax' }).apply(stack.apply(i)) });
    expect(outer.layers.map((l) => l.name)).toEqual(['seq_in', stack.name, 'seq_softmax']);
    expect(outer.trainableWeights).toHaveLength(4);
    outer.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy' });
    const xs = randomNormal([32, 4], 0, 1, { seed: 5 });
    const ys = tensor(Array.from({ length: 32 }, (_, k) => k % 2), [32], 'int32');
    const [first] = await outer.evaluate(xs, ys, { verbose: 0 });
    await outer.fit(xs, ys, { epochs: 20, batchSize: 8, verbose: 0 });
    const [last] = await outer.evaluate(xs, ys, { verbose: 0 });
    expect(last).toBeLessThan(first);
    // the nested Sequential's own weights are the ones that trained
    close(await values(stack.predict(xs)), await values(stack.apply(xs)));
  });
});

describe('masks', () => {
  class MarkNonZero extends Layer {
    override readonly className = 'MarkNonZero';
    call(x: Tensor): Tensor {
      return x;
    }
    override computeMask(x: Tensor): Tensor {
      return notEqual(x, 0);
    }
  }
  class ShowMask extends Layer {
    override readonly className = 'ShowMask';
    call(x: Tensor, options: CallOptions): Tensor {
      return options.mask ? cast(options.mask, 'float32') : onesLike(x);
    }
  }

  it('travel from the layer that makes them through layers that support masking, and stop at others', async () => {
    const i = input({ shape: [3], name: 'mask_in' });
    const marked = new MarkNonZero({ name: 'mark' }).apply(i);
    const through = new Model({ inputs: i, outputs: new ShowMask({ name: 'show_a' }).apply(layers.dropout({ rate: 0.5, name: 'mask_dropout' }).apply(marked)) });
    const stopped = new Model({ inputs: i, outputs: new ShowMask({ name: 'show_b' }).apply(layers.flatten({ name: 'mask_flatten' }).apply(marked)) });
    const x = tensor([[1, 0, 2], [0, 0, 3]]);
    expect(await values(through.predict(x))).toEqual([1, 0, 1, 0, 0, 1]);
    expect(await values(stopped.predict(x))).toEqual([1, 1, 1, 1, 1, 1]);
  });
});

describe('merge layers against float64 references', () => {
  const a = [[1, -2, 3], [0.5, 4, -1]];
  const b = [[2, 2, -3], [1.5, -4, 0]];
  const c = [[0, 1, 1], [-1, 0, 2]];
  const refs: Array<[string, () => Layer, number[][][], (r: number[][]) => number[]]> = [
    ['Add', () => layers.add(), [a, b, c], (r) => r[0].map((_, j) => r.reduce((s, row) => s + row[j], 0))],
    ['Subtract', () => layers.subtract(), [a, b], (r) => r[0].map((v, j) => v - r[1][j])],
    ['Multiply', () => layers.multiply(), [a, b, c], (r) => r[0].map((_, j) => r.reduce((s, row) => s * row[j], 1))],
    ['Average', () => layers.average(), [a, b, c], (r) => r[0].map((_, j) => r.reduce((s, row) => s + row[j], 0) / r.length)],
    ['Maximum', () => layers.maximum(), [a, b, c], (r) => r[0].map((_, j) => Math.max(...r.map((row) => row[j])))],
    ['Minimum', () => layers.minimum(), [a, b, c], (r) => r[0].map((_, j) => Math.min(...r.map((row) => row[j])))],
    ['Concatenate', () => layers.concatenate(), [a, b], (r) => r.flat()],
    ['Dot', () => layers.dot({ axes: 1 }), [a, b], (r) => [r[0].reduce((s, v, j) => s + v * r[1][j], 0)]],
    ['Dot (normalize)', () => layers.dot({ axes: -1, normalize: true }), [a, b], (r) => {
      const norm = (v: number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
      return [r[0].reduce((s, v, j) => s + v * r[1][j], 0) / (norm(r[0]) * norm(r[1]))];
    }],
  ];

  it.each(refs)('%s', async (_name, make, inputs, reference) => {
    const layer = make();
    const symbolic = inputs.map((_, k) => input({ shape: [3], name: `merge_in_${_name.replace(/\W/g, '')}_${k}` }));
    const model = new Model({ inputs: symbolic, outputs: layer.apply(symbolic) });
    const out = model.predict(inputs.map((x) => tensor(x)));
    const expected = [0, 1].flatMap((row) => reference(inputs.map((x) => x[row])));
    expect(out.shape).toEqual([2, expected.length / 2]);
    close(await values(out), expected);
  });

  it('Dot of rank-3 inputs is a batched matmul; Concatenate on an inner axis; broadcasting in Add', async () => {
    const x = input({ shape: [2, 3], name: 'dot3_x' });
    const y = input({ shape: [4, 3], name: 'dot3_y' });
    const dotted = layers.dot({ axes: 2 }).apply([x, y]);
    expect(dotted.shape).toEqual([null, 2, 4]);
    const xv = [[[1, 2, 3], [4, 5, 6]]];
    const yv = [[[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]]];
    const out = new Model({ inputs: [x, y], outputs: dotted }).predict([tensor(xv), tensor(yv)]);
    close(await values(out), [1, 2, 3, 6, 4, 5, 6, 15]);
    expect(layers.concatenate({ axis: 1 }).apply([x, y]).shape).toEqual([null, 6, 3]);
    const row = input({ shape: [1, 3], name: 'bcast_row' });
    expect(layers.add().apply([x, row]).shape).toEqual([null, 2, 3]);
  });
});

describe('errors when the graph is built, not at fit', () => {
  it('incompatible shapes in a merge name the merge layer, both input layers and their shapes', () => {
    const p = layers.dense({ units: 4, name: 'left_branch' }).apply(input({ shape: [3], name: 'err_in_a' }));
    const q = layers.dense({ units: 5, name: 'right_branch' }).apply(input({ shape: [3], name: 'err_in_b' }));
    expect(() => layers.add({ name: 'bad_add' }).apply([p, q])).toThrow(/Add "bad_add": inputs have incompatible shapes \[\(None, 4\), \(None, 5\)\].*layers "left_branch" \(None, 4\), "right_branch" \(None, 5\)/);
    expect(() => layers.concatenate({ name: 'bad_cat', axis: 1 }).apply([p, layers.reshape({ targetShape: [2, 2] }).apply(p)])).toThrow(/Concatenate "bad_cat".*match except on the concatenation axis/);
    expect(() => layers.subtract().apply([p, p, p])).toThrow(/takes exactly 2 inputs, got 3/);
    expect(() => layers.dense({ units: 2, name: 'wrong_in' }).apply(p)).not.toThrow();
    const used = layers.dense({ units: 2, name: 'used_dense' });
    used.apply(p);
    expect(() => used.apply(q)).toThrow(/Input to layer "used_dense" \(Dense\) is incompatible: expected shape \(None, 4\), got \(None, 5\); the input comes from layer "right_branch"/);
  });

  it('a disconnected graph names the missing input; a non-input as input, cycles and duplicate names are refused', () => {
    const a = input({ shape: [2], name: 'conn_a' });
    const b = input({ shape: [2], name: 'conn_b' });
    const sum = layers.add({ name: 'conn_sum' }).apply([layers.dense({ units: 2, name: 'conn_da' }).apply(a), b]);
    expect(() => new Model({ inputs: a, outputs: sum })).toThrow(/graph disconnected: output "conn_sum" \(None, 2\) depends on input "conn_b" \(None, 2\), which is not in the model's inputs \("conn_a"\)/);
    const hidden = layers.dense({ units: 2, name: 'conn_hidden' }).apply(a);
    expect(() => new Model({ inputs: hidden, outputs: sum })).toThrow(/inputs\[0\] "conn_hidden" \(None, 2\) is the output of layer "conn_hidden" \(Dense\), not an input\(\)/);
    expect(() => new Model({ inputs: [a, a], outputs: hidden })).toThrow(/lists "conn_a" \(None, 2\) twice/);

    const loop = layers.dense({ units: 2, name: 'conn_loop' }).apply(a);
    (loop.node.inputs as SymbolicTensor[])[0] = loop; // a cycle cannot be made with apply; forge one
    expect(() => new Model({ inputs: a, outputs: loop })).toThrow(/the graph has a cycle through layer "conn_loop"/);

    const first = layers.dense({ units: 2, name: 'twin' }).apply(a);
    const second = layers.dense({ units: 2, name: 'twin' }).apply(first);
    expect(() => new Model({ inputs: a, outputs: second })).toThrow(/two different layers are named "twin" \(Dense and Dense\)/);
  });

  it('compile and fit reject structures that do not match the outputs, leaving the model as it was', async () => {
    const model = twoHeads();
    expect(() => model.compile({ loss: { digit: 'mse', head: 'mse' } })).toThrow(/loss names "head", which is not an output of the model; its outputs are digit, parity/);
    expect(() => model.compile({ loss: { digit: 'mse' } })).toThrow(/loss has no entry for output "parity"/);
    expect(() => model.compile({ loss: ['mse'] })).toThrow(/loss has 1 entries but the model has 2 outputs \(digit, parity\)/);
    expect(() => model.compile({ loss: 'mse', metrics: ['accuracy'] })).toThrow(/metrics must be given per output/);
    expect(() => model.compile({ loss: 'mse', lossWeights: [1, 2, 3] })).toThrow(/lossWeights has 3 entries/);
    model.compile({ optimizer: 'sgd', loss: { digit: 'sparse_categorical_crossentropy', parity: 'binary_crossentropy' } });
    const { x, y } = twoHeadsData(6);
    const before = await Promise.all(model.getWeights().map(values));
    await expect(model.fit(x.image, y)).rejects.toThrow(/fit: the model has 2 inputs \(image, meta\); give x as a list of 2 tensors or a record \{image, meta\}, got one tensor/);
    await expect(model.fit({ image: x.image, metadata: x.meta }, y)).rejects.toThrow(/x has a key "metadata", which is not an input of the model; its inputs are image, meta/);
    await expect(model.fit([x.meta, x.image], y)).rejects.toThrow(/Input "image" of model "functional" is incompatible: expected shape \(None, 12\), got \(6, 4\)/);
    await expect(model.fit(x, { digit: y.digit })).rejects.toThrow(/y has no entry for output "parity"/);
    await expect(model.fit(x, { digit: tensor([5, 0, 1, 2, 0, 1], [6], 'int32'), parity: y.parity })).rejects.toThrow(/fit \(output "digit"\): label 5 at index 0 is not a valid class index for sparse_categorical_crossentropy with 3 classes/);
    await expect(model.fit(x, { digit: y.digit, parity: tensor(new Array(6).fill([0, 1])) })).rejects.toThrow(/fit \(output "parity"\): y has shape \(6,2\) but binary_crossentropy with the model's output \(None, 1\) expects \(6, 1\)/);
    expect(await Promise.all(model.getWeights().map(values))).toEqual(before);
  });
});

class Scale extends Layer {
  override readonly className = 'Scale';
  readonly factor: number;
  constructor(args: LayerArgs & { factor?: number } = {}) {
    super(args, 'Scale');
    this.factor = args.factor ?? 2;
  }
  call(inputs: Tensor, _options: CallOptions): Tensor {
    return mul(inputs, this.factor);
  }
  override computeOutputShape(shape: LayerShape): LayerShape {
    return shape;
  }
  override getConfig(): LayerConfig {
    return { ...super.getConfig(), factor: this.factor };
  }
}

describe('custom layers and saving functional models', () => {
  it('a registered Layer subclass saves and loads; an unregistered one is named in the error', async () => {
    class Unregistered extends Scale {}
    const i = input({ shape: [3], name: 'custom_in' });
    const model = new Model({ inputs: i, outputs: layers.dense({ units: 2, name: 'custom_dense' }).apply(new Scale({ factor: 3, name: 'scale' }).apply(i)) });
    const x = tensor([[1, 2, 3]]);
    const path = join(dir, 'custom.keras');
    await model.save(path);
    await expect(loadModel(path)).rejects.toThrow(/unknown layer class "Scale".*register custom layers with registerSerializable/);
    registerSerializable(Scale, { package: 'Tests' });
    await model.save(path);
    const loaded = await loadModel(path);
    expect((loaded.getLayer('scale') as Scale).factor).toBe(3);
    close(await values(loaded.predict(x)), await values(model.predict(x)));
    expect(new Unregistered({}).name).toMatch(/^scale/);
  });

  it('.keras round trip in Strata: two heads, a shared layer, a nested model; predictions and training continue exactly', async () => {
    const model = twoHeads();
    model.compile({ optimizer: 'adam', loss: ['sparse_categorical_crossentropy', 'binary_crossentropy'], lossWeights: [1, 0.2], metrics: [['accuracy'], []] });
    const { x, y } = twoHeadsData(16);
    await model.trainOnBatch(x, y);
    const path = join(dir, 'two-heads.keras');
    await model.save(path);
    const loaded = await loadModel<SymbolicTensor[]>(path);
    expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name));
    expect(loaded.metricsNames).toEqual(model.metricsNames);
    expect(loaded.toJSON()).toEqual(model.toJSON());
    const [p0, p1] = [model.predict(x), loaded.predict(x)];
    close(await values(p1[0]), await values(p0[0]), 0);
    expect(await loaded.trainOnBatch(x, y)).toEqual(await model.trainOnBatch(x, y));

    const left = input({ shape: [5], name: 'rt_left' });
    const right = input({ shape: [5], name: 'rt_right' });
    const shared = layers.dense({ units: 4, activation: 'relu', name: 'rt_shared' });
    const ein = input({ shape: [4], name: 'rt_ein' });
    const encoder = new Model({ inputs: ein, outputs: layers.dense({ units: 3, name: 'rt_enc' }).apply(ein), name: 'rt_encoder' });
    const joined = layers.add({ name: 'rt_add' }).apply([shared.apply(left), shared.apply(right)]);
    const outer = new Model({ inputs: [left, right], outputs: layers.dense({ units: 1, name: 'rt_head' }).apply(encoder.apply(joined)), name: 'rt_outer' });
    const pair = [randomNormal([4, 5], 0, 1, { seed: 8 }), randomNormal([4, 5], 0, 1, { seed: 9 })];
    const outerPath = join(dir, 'shared-nested.keras');
    await outer.save(outerPath);
    const again = await loadModel(outerPath);
    expect(again.getLayer('rt_shared').inboundNodes).toHaveLength(2);
    expect(again.getLayer('rt_encoder').className).toBe('Functional');
    close(await values(again.predict(pair)), await values(outer.predict(pair)), 0);
  });
});
