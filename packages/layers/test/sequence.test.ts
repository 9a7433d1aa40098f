import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  Model, Sequential, getBackend, initializers, input, keep, layers, loadModel, matmul, modelFromJSON, mul, setBackend, sum, tensor, tidy, transpose, valueAndGrad,
  type Layer, type Tensor, type Variable,
} from '../src/index.ts';
import { values } from './helpers.ts';

/** Recurrent layers beyond the Keras fixtures: gradients by finite differences, masks, shapes, dropout, bad input. */

const seeded = { kernelInitializer: initializers.glorotUniform({ seed: 1 }), recurrentInitializer: initializers.orthogonal({ seed: 2 }), biasInitializer: initializers.randomUniform({ minval: -0.3, maxval: 0.3, seed: 3 }) };

/** sum(layer(x) · r) as a number. */
async function lossAt(layer: Layer, x: Tensor, r: Tensor, mask?: Tensor): Promise<number> {
  const value = tidy(() => sum(mul(layer.apply(x, { mask }), r)));
  const [v] = await values(value);
  value.dispose();
  return v;
}

async function setEntry(v: Variable, i: number, delta: number): Promise<void> {
  const vals = await values(v);
  vals[i] += delta;
  tidy(() => v.assign(tensor(vals, v.shape)));
}

describe.each(['cpu', 'webgpu'] as const)('recurrent gradients by finite differences on %s', (backend) => {
  const makers: Array<[string, () => Layer]> = [
    ['SimpleRNN, returnSequences, goBackwards', () => layers.simpleRNN({ units: 3, returnSequences: true, goBackwards: true, ...seeded })],
    ['LSTM, masked', () => layers.lstm({ units: 3, ...seeded })],
    ['GRU, resetAfter false, returnSequences', () => layers.gru({ units: 3, resetAfter: false, returnSequences: true, ...seeded })],
  ];
  it.each(makers)('%s: the tape through time agrees with central differences', async (name, make) => {
    await setBackend(backend);
    expect(getBackend().name).toBe(backend);
    const layer = make();
    const x = tensor(Array.from({ length: 2 * 4 * 2 }, (_, i) => Math.sin(i * 1.7)), [2, 4, 2]);
    const mask = name.includes('masked') ? tensor([true, true, true, false, true, false, true, true], [2, 4], 'bool') : undefined;
    layer.apply(x, { mask }).dispose();
    const outShape = layer.computeOutputShape([2, 4, 2]) as number[];
    const r = tensor(Array.from({ length: outShape.reduce((a, b) => a * b, 1) }, (_, i) => Math.cos(i * 0.9)), outShape);
    const weights = layer.trainableWeights;
    const { value, grads } = valueAndGrad(() => sum(mul(layer.apply(x, { mask }), r)), [x, ...weights]);
    value.dispose();
    const eps = 1e-2;
    // a few entries of each weight (and of the input), including the recurrent kernel's
    for (const [k, w] of weights.entries()) {
      const g = await values(grads[k + 1]);
      for (const i of [0, Math.floor(w.size / 2), w.size - 1]) {
        await setEntry(w, i, eps);
        const up = await lossAt(layer, x, r, mask);
        await setEntry(w, i, -2 * eps);
        const down = await lossAt(layer, x, r, mask);
        await setEntry(w, i, eps);
        expect(g[i], `${w.name}[${i}]`).toBeCloseTo((up - down) / (2 * eps), 2);
      }
    }
    const gx = await values(grads[0]);
    const xs = await values(x);
    for (const i of [1, 9, 14]) {
      const shifted = (d: number): Tensor => tensor(xs.map((v, j) => (j === i ? v + d : v)), x.shape);
      const up = await lossAt(layer, shifted(eps), r, mask);
      const down = await lossAt(layer, shifted(-eps), r, mask);
      expect(gx[i], `x[${i}]`).toBeCloseTo((up - down) / (2 * eps), 2);
    }
  });
});

describe.each(['cpu', 'webgpu'] as const)('the loop over time on %s', (backend) => {
  it('reads nothing back from the device: forward and backward through 12 masked steps are device ops only', async () => {
    await setBackend(backend);
    const device = getBackend();
    const layer = layers.bidirectional({ layer: layers.lstm({ units: 4, returnSequences: true, ...seeded }) });
    const x = tensor(Array.from({ length: 3 * 12 * 2 }, (_, i) => Math.sin(i)), [3, 12, 2]);
    const mask = tensor(Array.from({ length: 36 }, (_, i) => i % 12 < 12 - (i % 3)), [3, 12], 'bool');
    layer.apply(x, { mask }).dispose();
    const original = { read: device.read, readSync: device.readSync };
    let reads = 0;
    device.read = (...args) => (reads++, original.read.apply(device, args));
    if (original.readSync) device.readSync = (...args) => (reads++, (original.readSync as NonNullable<typeof original.readSync>).apply(device, args));
    try {
      const { value, grads } = valueAndGrad(() => sum(layer.apply(x, { mask, training: true })), layer.trainableWeights);
      expect(reads).toBe(0);
      expect(grads).toHaveLength(6);
      value.dispose();
      grads.forEach((g) => g.dispose());
    } finally {
      Object.assign(device, original);
    }
  });
});

describe('recurrent layers: shapes, masks, dropout', () => {
  it('returnSequences and returnState give Keras\'s outputs in the functional API', async () => {
    await setBackend('cpu');
    const seq = input({ shape: [5, 3] });
    const [out, h, c] = layers.lstm({ units: 4, returnSequences: true, returnState: true }).applyOutputs(seq);
    expect([out.shape, h.shape, c.shape]).toEqual([[null, 5, 4], [null, 4], [null, 4]]);
    const [last, state] = layers.gru({ units: 2, returnState: true }).applyOutputs(out);
    expect([last.shape, state.shape]).toEqual([[null, 2], [null, 2]]);
    const model = new Model({ inputs: seq, outputs: [out, h, last, state] });
    const [o, hv, l, s] = model.predict(tensor(Array.from({ length: 30 }, (_, i) => i / 30), [2, 5, 3])) as Tensor[];
    expect([o.shape, hv.shape]).toEqual([[2, 5, 4], [2, 4]]);
    // the last output of a sequence is the final h; GRU's state is its output
    expect(await values(hv)).toEqual((await values(o)).filter((_, i) => Math.floor(i / 4) % 5 === 4));
    expect(await values(s)).toEqual(await values(l));
    const bi = layers.bidirectional({ layer: layers.simpleRNN({ units: 3, returnSequences: true }) }).apply(seq);
    expect(bi.shape).toEqual([null, 5, 6]);
  });

  it('Embedding(maskZero) → LSTM: padded steps are skipped, as if the sequence were shorter', async () => {
    await setBackend('cpu');
    // seeded initializers: both models get the same weights
    const make = (steps: number): Sequential => new Sequential([
      input({ shape: [steps] }),
      layers.embedding({ inputDim: 9, outputDim: 3, maskZero: true, embeddingsInitializer: initializers.randomUniform({ minval: -1, maxval: 1, seed: 4 }) }),
      layers.lstm({ units: 4, ...seeded }),
    ]);
    const padded = make(5).predict(tensor([[4, 2, 7, 0, 0], [4, 0, 2, 7, 0]], [2, 5])) as Tensor;
    const short = make(3).predict(tensor([[4, 2, 7]], [1, 3])) as Tensor;
    const [p, q] = [await values(padded), await values(short)];
    for (let i = 0; i < 4; i++) {
      expect(p[i]).toBeCloseTo(q[i], 6);
      expect(p[4 + i]).toBeCloseTo(q[i], 6);
    }
    // in a model the mask stops at a layer that cannot use it (as in Keras); given to it directly, it is refused by name
    const flatten = layers.flatten({ name: 'flat' });
    const flat = new Sequential([input({ shape: [5] }), layers.embedding({ inputDim: 9, outputDim: 3, maskZero: true }), flatten]);
    expect(flat.predict(tensor([[1, 2, 0, 0, 0]], [1, 5])).shape).toEqual([1, 15]);
    const mask = tensor([true, true, false, false, false], [1, 5], 'bool');
    expect(() => flatten.apply(tensor(Array.from({ length: 15 }, () => 1), [1, 5, 3]), { mask })).toThrow(/Layer "flat" \(Flatten\) cannot take a mask/);
  });

  it('a Keras model whose Input is int32 (indices for an Embedding) loads, and predicts what the float32 one does', async () => {
    await setBackend('cpu');
    const model = (await loadModel(join(dirname(fileURLToPath(import.meta.url)), 'fixtures/sequence-embedding-plain.keras'))) as Model;
    const json = JSON.parse(model.toJSON()) as { config: { layers: Array<{ class_name: string; config: Record<string, unknown> }> } };
    const inputLayer = json.config.layers.find((l) => l.class_name === 'InputLayer');
    expect(inputLayer).toBeDefined();
    if (inputLayer) inputLayer.config.dtype = 'int32';
    const again = modelFromJSON(JSON.stringify(json)) as Model;
    again.setWeights(model.getWeights());
    const x = tensor([[3, 1, 7, 0, 0]], [1, 5]);
    expect(await values(again.predict(x) as Tensor)).toEqual(await values(model.predict(x) as Tensor));
  });

  it('Masking: all-zero steps hold the state; returnSequences repeats the last output there', async () => {
    await setBackend('cpu');
    const rnn = layers.simpleRNN({ units: 2, returnSequences: true, ...seeded });
    const model = new Sequential([input({ shape: [4, 2] }), layers.masking(), rnn]);
    const y = await values(model.predict(tensor([[[1, 2], [0, 0], [0.5, -1], [0, 0]]], [1, 4, 2])) as Tensor);
    expect(y.slice(2, 4)).toEqual(y.slice(0, 2));
    expect(y.slice(6, 8)).toEqual(y.slice(4, 6));
    expect(y.slice(4, 6)).not.toEqual(y.slice(0, 2));
  });

  it('dropout and recurrentDropout act only in training, with one mask per sequence', async () => {
    await setBackend('cpu');
    const layer = layers.gru({ units: 3, dropout: 0.5, recurrentDropout: 0.5, seed: 9, returnSequences: true, ...seeded });
    const x = tensor(Array.from({ length: 2 * 6 * 4 }, (_, i) => Math.sin(i)), [2, 6, 4]);
    const a = await values(layer.apply(x, { training: false }));
    expect(await values(layer.apply(x, { training: false }))).toEqual(a);
    const t1 = await values(layer.apply(x, { training: true }));
    const t2 = await values(layer.apply(x, { training: true }));
    expect(t1).not.toEqual(a);
    expect(t2).not.toEqual(t1);
    // the input mask is shared by every timestep: a constant sequence with its first feature dropped
    // gives the same pre-activations every step, which shows as inputs dropped from all steps at once
    const only = layers.simpleRNN({ units: 1, dropout: 0.5, seed: 5, kernelInitializer: 'ones', recurrentInitializer: 'zeros', activation: 'linear' });
    const ones = tensor(Array.from({ length: 64 * 5 * 1 }, () => 1), [64, 5, 1]);
    const outs = await values(keep(only.apply(ones, { training: true })));
    expect(new Set(outs.map((v) => Math.round(v)))).toEqual(new Set([0, 2]));
    expect(() => layers.lstm({ units: 2, dropout: 1 })).toThrow(/dropout must be in \[0, 1\), got 1/);
  });

  it('the Orthogonal initializer gives orthonormal columns (or rows)', async () => {
    await setBackend('cpu');
    for (const shape of [[6, 4], [4, 6]]) {
      const w = initializers.orthogonal({ seed: 3 }).init(shape);
      const gram = shape[0] >= shape[1] ? matmul(transpose(w), w) : matmul(w, transpose(w));
      const k = Math.min(...shape);
      (await values(gram)).forEach((v, i) => expect(v).toBeCloseTo(Math.floor(i / k) === i % k ? 1 : 0, 5));
    }
  });
});

describe('recurrent layers: bad input', () => {
  it('a rank-2 input to an RNN is refused, naming the layer and the shape', async () => {
    await setBackend('cpu');
    expect(() => new Sequential([layers.lstm({ units: 4, inputShape: [28], name: 'rnn' })])).toThrow(/LSTM "rnn" expects a 3-D input \(batch, timesteps, features\).*got \(None, 28\)/);
    const gru = layers.gru({ units: 2 });
    expect(() => gru.apply(tensor([1, 2, 3, 4], [2, 2]))).toThrow(/GRU "gru(_\d+)?" expects a 3-D input/);
  });

  it('an Embedding index >= inputDim or negative is an error naming it', async () => {
    await setBackend('cpu');
    const model = new Sequential([input({ shape: [3] }), layers.embedding({ inputDim: 5, outputDim: 2, name: 'emb' })]);
    expect(() => model.predict(tensor([[1, 5, 0]], [1, 3]))).toThrow(/Embedding "emb": index 5 \(at flat position 1 of the input\) is out of range; indices must be integers in \[0, 5\)/);
    expect(() => model.predict(tensor([[1, 2, -1]], [1, 3]))).toThrow(/index -1 \(at flat position 2/);
    expect(() => model.predict(tensor([[1, 2.5, 0]], [1, 3]))).toThrow(/index 2.5/);
  });

  it.each(['cpu', 'webgpu'] as const)('on %s, fit and evaluate read the indices once first: a bad one is an error and nothing changes', async (backend) => {
    await setBackend(backend);
    const model = new Sequential([input({ shape: [3] }), layers.embedding({ inputDim: 5, outputDim: 2, name: 'emb_fit' }), layers.flatten(), layers.dense({ units: 1 })]);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const before = await values(model.weights[0]);
    const x = tensor([[1, 2, 3], [4, 7, 0]], [2, 3]);
    const y = tensor([[1], [0]], [2, 1]);
    await expect(model.fit(x, y, { epochs: 1, verbose: 0 })).rejects.toThrow(/fit: Embedding "emb_fit": index 7 \(at flat position 4 of the input\) is out of range/);
    await expect(model.evaluate(x, y, { verbose: 0 })).rejects.toThrow(/evaluate: Embedding "emb_fit": index 7/);
    expect(await values(model.weights[0])).toEqual(before);
  });
});
