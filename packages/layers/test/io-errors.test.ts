import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { Sequential, initializers, layers, loadModel, modelToBytes } from '../src/index.ts';
import { weightValues } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'strata-io-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function model(units = 6): Sequential {
  const m = new Sequential([
    layers.dense({ units, activation: 'relu', inputShape: [4], kernelInitializer: initializers.glorotUniform({ seed: units }) }),
    layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  m.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy' });
  return m;
}

const good = await modelToBytes(model());

/** The .keras bytes with config.json changed by `edit`. */
function withConfig(edit: (config: { config: { layers: Array<{ class_name: string; config: Record<string, unknown> }> }; class_name: string }) => void): Uint8Array {
  const entries = unzipSync(good);
  const config = JSON.parse(strFromU8(entries['config.json']));
  edit(config);
  return zipSync({ ...entries, 'config.json': strToU8(JSON.stringify(config)) }, { level: 0 });
}

describe('loading what Keras writes', () => {
  it('an uncompiled model (Keras writes compile_config: {}) loads uncompiled', async () => {
    const bytes = withConfig((c) => void ((c as unknown as { compile_config: object }).compile_config = {}));
    const model = await loadModel(bytes);
    expect(model.metricsNames).toEqual([]);
    expect(() => model.optimizer).toThrow(/must be compiled first/);
  });
});

describe('loading bad files: clear errors, nothing changed', () => {
  it('an unknown layer class names the layer and the supported classes', async () => {
    const bytes = withConfig((c) => void (c.config.layers[1].class_name = 'Conv3D'));
    await expect(loadModel(bytes)).rejects.toThrow(/layer "dense(_\d+)?" \(Conv3D\): unknown layer class "Conv3D"; supported: InputLayer, Dense, Activation, Flatten, Reshape, Dropout/);
  });

  it('a missing or wrong field names the layer and the field', async () => {
    await expect(loadModel(withConfig((c) => void delete c.config.layers[1].config.units))).rejects.toThrow(/layer "dense(_\d+)?" \(Dense\): 'units'/);
    await expect(loadModel(withConfig((c) => void (c.config.layers[2].config.activation = 'gelu')))).rejects.toThrow(/\(Dense\): 'activation' .*"relu".*"linear".*got "gelu"/);
    await expect(loadModel(withConfig((c) => void (c.config.layers[1].config.kernel_regularizer = { class_name: 'L2', config: {} })))).rejects.toThrow(/'kernel_regularizer' not supported by Strata/);
    await expect(loadModel(withConfig((c) => void (c.class_name = 'MySubclassedModel')))).rejects.toThrow(/only Sequential and functional \(Functional\/Model\) models are supported/);
    await expect(loadModel(withConfig((c) => void (c.class_name = 'Functional')))).rejects.toThrow(/functional config: 'input_layers'/);
  });

  it('a weight of the wrong shape names the layer and both shapes', async () => {
    const wide = withConfig((c) => void (c.config.layers[1].config.units = 5));
    await expect(loadModel(wide)).rejects.toThrow(/layer "dense(_\d+)?" \(Dense\): weight "dense(_\d+)?\/kernel" expects shape \(4,5\) float32, the file has \(4,6\) float32/);

    const path = join(dir, 'six.weights.h5');
    await model(6).saveWeights(path);
    const target = model(5);
    const before = await weightValues(target);
    await expect(target.loadWeights(path)).rejects.toThrow(/loadWeights \(model "sequential_\d+"\): layer "dense_\d+" \(Dense\): weight "dense_\d+\/kernel" expects shape \(4,5\) float32, the file has \(4,6\)/);
    expect(await weightValues(target)).toEqual(before);
  });

  it('truncated, corrupt or foreign files are refused; the model and the file on disk are untouched', async () => {
    const path = join(dir, 'm.keras');
    const m = model();
    await m.save(path);
    const onDisk = readFileSync(path);

    await expect(loadModel(onDisk.subarray(0, onDisk.length >> 1))).rejects.toThrow(/loadModel: not a valid .keras file: the zip archive is truncated or corrupt/);
    const flipped = Uint8Array.from(onDisk);
    for (let i = 3000; i < 3010; i++) flipped[flipped.length - i] ^= 0xff; // inside model.weights.h5, the last entry
    await expect(loadModel(flipped)).rejects.toThrow(/entry "model.weights.h5" is corrupt \(CRC-32 mismatch\)/);
    await expect(loadModel(strToU8('not a zip at all'))).rejects.toThrow(/not a valid .keras file/);
    await expect(loadModel(join(dir, 'missing.keras'))).rejects.toThrow(/loadModel: no file at ".*missing.keras"/);

    const weightsPath = join(dir, 'm.weights.h5');
    await m.saveWeights(weightsPath);
    const weights = readFileSync(weightsPath);
    writeFileSync(join(dir, 'cut.weights.h5'), weights.subarray(0, 3000));
    const before = await weightValues(m);
    await expect(m.loadWeights(join(dir, 'cut.weights.h5'))).rejects.toThrow(/the file is not a readable Keras weights file \(truncated file: eof = 3000/);
    expect(await weightValues(m)).toEqual(before);
    expect(readFileSync(path)).toEqual(onDisk);
  });

  it('save checks the file name', async () => {
    await expect(model().save(join(dir, 'x.h5'))).rejects.toThrow(/save: the file name must end in ".keras"/);
    await expect(model().saveWeights(join(dir, 'x.keras'))).rejects.toThrow(/saveWeights: the file name must end in ".weights.h5"/);
  });
});
