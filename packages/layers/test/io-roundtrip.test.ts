import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Adam, Model, Sequential, initializers, layers, loadModel, modelFromJSON, modelToBlob, modelToBytes, toCategorical, type Tensor } from '../src/index.ts';
import { modelWeights } from '../src/io/model-weights.ts';
import { encodeWeights } from '../src/io/weights-h5.ts';
import { separable, values } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'strata-io-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { x, labels } = separable(24);
const y = toCategorical(labels, 3);

/** Dropout's mask sequence is not saved (as in Keras), so models that must resume exactly have none. */
function model(name?: string, dropout = false): Sequential {
  const m = new Sequential([
    layers.dense({ units: 6, activation: 'relu', inputShape: [4], kernelInitializer: initializers.heNormal({ seed: 3 }) }),
    ...(dropout ? [layers.dropout({ rate: 0.25, seed: 5 })] : []),
    layers.dense({ units: 3, activation: 'softmax', useBias: true, kernelInitializer: initializers.glorotUniform({ seed: 4 }) }),
  ], { name });
  m.compile({ optimizer: new Adam({ learningRate: 0.01, amsgrad: true }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

async function trained(dropout = false): Promise<Sequential> {
  const m = model(undefined, dropout);
  for (let i = 0; i < 3; i++) await m.trainOnBatch(x, y);
  return m;
}

/** Float bit patterns, so equality means bit-identical (NaN and -0 included). */
async function bits(tensors: readonly Tensor[]): Promise<number[][]> {
  return Promise.all(tensors.map(async (t) => {
    const data = await t.data();
    return Array.from(new Uint32Array(data.buffer, data.byteOffset, data.length));
  }));
}

async function expectSameState(a: Model, b: Model): Promise<void> {
  expect(await bits(b.weights)).toEqual(await bits(a.weights));
  expect(await bits(b.optimizer.variables())).toEqual(await bits(a.optimizer.variables()));
  expect(b.optimizer.iterations).toBe(a.optimizer.iterations);
}

describe('save / loadModel (.keras)', () => {
  it('round trip: bit-identical weights and optimizer state, identical predictions and next-step loss', async () => {
    const original = await trained();
    const path = join(dir, 'model.keras');
    await original.save(path);
    const loaded = await loadModel(path);

    expect(loaded.name).toBe(original.name);
    expect(loaded.layers.map((l) => [l.className, l.name])).toEqual(original.layers.map((l) => [l.className, l.name]));
    expect(loaded.toJSON()).toEqual(original.toJSON());
    expect(loaded.metricsNames).toEqual(['loss', 'accuracy']);
    expect(loaded.optimizer).toBeInstanceOf(Adam);
    expect(loaded.optimizer.getConfig()).toEqual(original.optimizer.getConfig());
    await expectSameState(original, loaded);
    expect(await values(loaded.predict(x))).toEqual(await values(original.predict(x)));

    // training resumes exactly where it stopped (Adam's moments, amsgrad's maxima and step count)
    const next = await Promise.all([original.trainOnBatch(x, y), loaded.trainOnBatch(x, y)]);
    expect(next[1]).toEqual(next[0]);
    expect(await original.trainOnBatch(x, y)).toEqual(await loaded.trainOnBatch(x, y));
    await expectSameState(original, loaded);
  });

  it('writes the Keras 3 layout: metadata.json, config.json, model.weights.h5', async () => {
    const { unzipSync, strFromU8 } = await import('fflate');
    const m = await trained(true);
    const entries = unzipSync(await modelToBytes(m));
    expect(Object.keys(entries).sort()).toEqual(['config.json', 'metadata.json', 'model.weights.h5']);
    expect(JSON.parse(strFromU8(entries['metadata.json'])).keras_version).toMatch(/^3\./);
    const config = JSON.parse(strFromU8(entries['config.json']));
    expect(config.class_name).toBe('Sequential');
    const [input, dense, dropout] = config.config.layers;
    expect(input).toMatchObject({ class_name: 'InputLayer', config: { batch_shape: [null, 4] } });
    expect(dense).toMatchObject({
      module: 'keras.layers',
      class_name: 'Dense',
      config: { units: 6, activation: 'relu', use_bias: true, kernel_initializer: { module: 'keras.initializers', class_name: 'HeNormal', config: { seed: 3 } } },
    });
    expect(dropout).toMatchObject({ class_name: 'Dropout', config: { rate: 0.25, seed: 5 } });
    expect(config.compile_config).toMatchObject({
      optimizer: { module: 'keras.optimizers', class_name: 'Adam', config: { learning_rate: Math.fround(0.01), amsgrad: true } },
      loss: 'categorical_crossentropy',
      metrics: ['accuracy'],
    });
    const h5 = entries['model.weights.h5'];
    expect(Array.from(h5.subarray(0, 8))).toEqual([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]); // the HDF5 signature
  });

  it('bytes and Blob for the browser, toJSON / modelFromJSON for the config', async () => {
    const m = await trained(true);
    const fromBytes = await loadModel(await modelToBytes(m));
    const fromBlob = await loadModel(await modelToBlob(m));
    await expectSameState(m, fromBytes);
    await expectSameState(m, fromBlob);

    const json = m.toJSON();
    expect(JSON.parse(json).config.layers.map((l: { class_name: string }) => l.class_name)).toEqual(['InputLayer', 'Dense', 'Dropout', 'Dense']);
    const rebuilt = modelFromJSON(json);
    expect(rebuilt.toJSON()).toEqual(json);
    expect(rebuilt.countParams()).toBe(m.countParams());
    expect(rebuilt.optimizer.getConfig()).toEqual(m.optimizer.getConfig());
  });

  it('saveWeights / loadWeights: same layout, into a fresh model of the same architecture', async () => {
    const m = await trained();
    const path = join(dir, 'w.weights.h5');
    await m.saveWeights(path);
    const fresh = model('fresh');
    await fresh.loadWeights(path);
    await expectSameState(m, fresh);
    expect(await fresh.trainOnBatch(x, y)).toEqual(await m.trainOnBatch(x, y));
    // the same bytes Keras's model.weights.h5 would hold
    expect(readFileSync(path).subarray(0, 4).toString('latin1')).toBe('\x89HDF');
  });

  it('an optimizer saved before its first step (2 variables, as Keras writes it) restores its step count and learning rate', async () => {
    const m = await trained();
    const content = await modelWeights(m);
    const [iteration, learningRate] = content.optimizer!.vars;
    const fresh = model('fresh');
    await fresh.loadWeights(await encodeWeights({ ...content, optimizer: { name: 'adam', vars: [iteration, learningRate] } }));
    expect(await bits(fresh.weights)).toEqual(await bits(m.weights));
    expect(fresh.optimizer.iterations).toBe(3);
    const slots = await Promise.all(fresh.optimizer.variables().slice(2).map(values));
    expect(slots.flat().every((v) => v === 0)).toBe(true);
  });

  it('a model built from data (no inputShape) saves its input shape', async () => {
    const m = new Sequential([layers.dense({ units: 2 }), layers.flatten(), layers.activation({ activation: 'tanh' })]);
    m.predict(x).dispose();
    const loaded = await loadModel(await modelToBytes(m));
    expect(loaded.inputShape).toEqual([null, 4]);
    expect(await values(loaded.predict(x))).toEqual(await values(m.predict(x)));
  });
});
