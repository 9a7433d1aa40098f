import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { add, getBackend, keep, loadModel, mul, setBackend, sum, tensor, valueAndGrad, type Model, type Tensor } from '../src/index.ts';
import { values } from './helpers.ts';
import { kerasScript } from './keras-python.ts';

/**
 * Embedding, Masking, SimpleRNN, LSTM, GRU, Bidirectional and TimeDistributed against Python Keras 3
 * (JAX): each case is a model Keras made with fixed weights (scripts/make_sequence_fixtures.py), loaded
 * from its .keras file. Outputs and the gradients of sum_i sum(output_i · r_i) with respect to every
 * trainable weight (and a float input) must match Keras's on both backends; saved again by Strata, each
 * model must load in Keras and predict the same.
 */
interface Case {
  name: string;
  x: number[];
  shape: number[];
  indices: boolean;
  outputs: number[][];
  outputShapes: number[][];
  r: number[][];
  gradX: number[] | null;
  gradWeights: number[][];
  weightShapes: number[][];
}

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string): string => join(here, `fixtures/sequence-${name}.keras`);
const { cases } = JSON.parse(readFileSync(join(here, 'fixtures/sequence-layers.json'), 'utf8')) as { cases: Case[] };

/** Largest difference relative to the scale of the expected values (at least 1). */
function relDiff(actual: number[], expected: number[]): number {
  expect(actual).toHaveLength(expected.length);
  const scale = Math.max(1, ...expected.map(Math.abs));
  return Math.max(0, ...actual.map((v, i) => Math.abs(v - expected[i]))) / scale;
}

describe.each(['cpu', 'webgpu'] as const)('sequence layers vs Keras 3 on %s', (backend) => {
  it.each(cases.map((c) => [c.name, c] as const))('%s: outputs and gradients', async (_name, c) => {
    await setBackend(backend);
    expect(getBackend().name).toBe(backend);
    const model = (await loadModel(fixture(c.name))) as Model;
    const x = tensor(c.x, c.shape);
    const weights = model.trainableWeights;
    expect(weights.map((w) => w.shape)).toEqual(c.weightShapes);
    const rs = c.r.map((r, i) => tensor(r, c.outputShapes[i]));
    let outputs: Tensor[] = [];
    const { value, grads } = valueAndGrad(() => {
      outputs = model.applyOutputs(x, { training: false }).map((o) => keep(o));
      return outputs.map((o, i) => sum(mul(o, rs[i]))).reduce((a, b) => add(a, b));
    }, c.indices ? weights : [x, ...weights]);
    value.dispose();
    expect(outputs.map((o) => o.shape)).toEqual(c.outputShapes);
    for (let i = 0; i < outputs.length; i++) expect(relDiff(await values(outputs[i]), c.outputs[i])).toBeLessThan(2e-6);
    const weightGrads = c.indices ? grads : grads.slice(1);
    if (c.gradX) expect(relDiff(await values(grads[0]), c.gradX)).toBeLessThan(1e-5);
    for (let i = 0; i < weightGrads.length; i++) expect(relDiff(await values(weightGrads[i]), c.gradWeights[i])).toBeLessThan(1e-5);
  });
});

describe('sequence models saved by Strata load in Python Keras 3', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strata-keras-sequence-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('every case: same predictions in Keras after a Strata save', async () => {
    await setBackend('cpu');
    const requests = await Promise.all(cases.map(async (c) => {
      const model = (await loadModel(fixture(c.name))) as Model;
      const path = join(dir, `${c.name}.keras`);
      await model.save(path);
      return { path, x: c.x, shape: c.shape };
    }));
    const predictions = await kerasScript<number[][][]>('keras_predict.py', requests);
    cases.forEach((c, i) => {
      expect(predictions[i], c.name).toHaveLength(c.outputs.length);
      predictions[i].forEach((p, j) => expect(relDiff(p, c.outputs[j]), `${c.name} output ${j}`).toBeLessThan(1e-6));
    });
  }, 120_000);
});
