// The character-level example in miniature (CPU): a GRU trained on the first 3,000 characters of the GPL
// that Debian ships must lower its loss in 10 epochs, and the sampling loop must write characters of the text's alphabet.
import { readFileSync } from 'node:fs';
import { disposeBackends, setBackend, setRandomSeed } from '@strata/layers';
import { afterAll, expect, it } from 'vitest';
import { DEFAULT_TEXT, charModel, corpus, generate, sample, seededRandom, windows } from '../char-model.ts';

afterAll(async () => {
  setRandomSeed(undefined);
  await disposeBackends();
});

it('Embedding → GRU → Dense learns the next character and generates text with predict', async () => {
  await setBackend('cpu');
  setRandomSeed(2);
  const text = readFileSync(DEFAULT_TEXT, 'utf8').replace(/\s+/g, ' ').slice(0, 3000);
  const data = corpus(text);
  const { x, y } = windows(data, 20, 3);
  expect(x.shape).toEqual([994, 20]);
  const model = charModel(data.chars.length, 20, 32);
  const history = await model.fit(x, y, { epochs: 10, batchSize: 128, verbose: 0 });
  const losses = history.history.loss as number[];
  console.log(`char GRU: loss ${losses.map((l) => l.toFixed(3)).join(' → ')}`);
  // a uniform guess over the alphabet costs ln(vocabulary)
  expect(losses[0]).toBeLessThan(Math.log(data.chars.length + 1) + 0.2);
  expect(losses[9]).toBeLessThan(losses[0] - 0.6);
  const written = await generate(model, data, text.slice(0, 10), 12, 0.5, seededRandom(3));
  expect(written).toHaveLength(12);
  for (const c of written) expect(data.chars).toContain(c);
  // sampling never picks the padding index and follows the temperature-sharpened distribution
  expect(sample([0.9, 0.25, 0.75], 1, () => 0)).toBe(1);
  expect(sample([0.9, 0.25, 0.75], 1, () => 0.5)).toBe(2);
  expect(sample([0, 0.4, 0.6], 0.05, () => 0.01)).toBe(2);
  x.dispose();
  y.dispose();
  model.dispose();
});
