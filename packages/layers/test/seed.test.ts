import { afterEach, expect, it } from 'vitest';
import { Sequential, layers, setRandomSeed } from '../src/index.ts';
import { separable, weightValues } from './helpers.ts';

/** Initialise, shuffle and train with dropout, all from unseeded draws; return the final weights. */
async function trainedWeights(): Promise<number[][]> {
  const { x, labels } = separable(64);
  const model = new Sequential([
    layers.dense({ units: 8, activation: 'relu', inputShape: [4] }),
    layers.dropout({ rate: 0.3 }),
    layers.dense({ units: 3, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'rmsprop', loss: 'sparse_categorical_crossentropy' });
  await model.fit(x, labels, { epochs: 2, batchSize: 16, verbose: 0 });
  const weights = await weightValues(model);
  model.dispose();
  x.dispose();
  labels.dispose();
  return weights;
}

afterEach(() => setRandomSeed(undefined));

it('setRandomSeed makes initialisation, shuffling and dropout reproducible, as keras.utils.set_random_seed', async () => {
  setRandomSeed(42);
  const first = await trainedWeights();
  setRandomSeed(42);
  expect(await trainedWeights()).toEqual(first);
  setRandomSeed(43);
  expect(await trainedWeights()).not.toEqual(first);
  setRandomSeed(undefined);
  expect(await trainedWeights()).not.toEqual(first);
});

it('setRandomSeed rejects a seed that is not an integer', () => {
  expect(() => setRandomSeed(1.5)).toThrow('setRandomSeed: the seed must be an integer, got 1.5');
});
