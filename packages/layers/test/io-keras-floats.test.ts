import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kerasJson } from '../src/io/keras-json.ts';
import { SGD, Sequential, layers, loadModel, tensor } from '../src/index.ts';
import { values } from './helpers.ts';
import { kerasCheck } from './keras-python.ts';

const dir = mkdtempSync(join(tmpdir(), 'strata-floats-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('config values Keras requires to be Python floats', () => {
  it('are written with a decimal point; other integers stay integers', () => {
    const text = kerasJson({
      layers: [{ module: 'keras.layers', class_name: 'Dense', config: { units: 512, momentum: 0 } }],
      optimizer: { module: 'keras.optimizers', class_name: 'SGD', config: { learning_rate: 1, momentum: 0, nesterov: false, name: 'SGD' } },
      metric: { module: 'keras.metrics', class_name: 'FBetaScore', config: { beta: 1, threshold: 0.5 } },
    });
    expect(text).toContain('"units":512,"momentum":0}');
    expect(text).toContain('"learning_rate":1.0,"momentum":0.0,"nesterov":false');
    expect(text).toContain('"beta":1.0,"threshold":0.5');
    expect(JSON.parse(text).optimizer.config.momentum).toBe(0);
  });

  it('Python Keras loads a model compiled with SGD(learningRate 1, momentum 0), and trains on as Strata does', async () => {
    const model = new Sequential([layers.dense({ units: 3, inputShape: [4], activation: 'softmax' })]);
    model.compile({ optimizer: new SGD({ learningRate: 1 }), loss: 'categorical_crossentropy' });
    const x = tensor([[0.1, 0.2, 0.3, 0.4], [0.5, -0.1, 0.0, 0.2]]);
    const y = tensor([[1, 0, 0], [0, 0, 1]]);
    await model.trainOnBatch(x, y);
    const path = join(dir, 'sgd.keras');
    await model.save(path);
    const report = await kerasCheck<{ nextLosses: number[] }>({ path, x: await x.array(), y: await y.array() });
    const reloaded = await loadModel(path);
    const next = [(await reloaded.trainOnBatch(x, y))[0], (await reloaded.trainOnBatch(x, y))[0]];
    report.nextLosses.forEach((loss, i) => expect(loss).toBeCloseTo(next[i], 5));
    expect((await values(model.predict(x))).length).toBe(6);
  });
});
