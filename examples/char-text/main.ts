// Character-level text generation (`pnpm char-text`): Embedding → GRU → Dense(softmax) trained on a text
// that ships with Debian (the GPL v3 from base-files; `--text FILE` for another), then text sampled
// character by character with `predict`.
import { readFileSync } from 'node:fs';
import { disposeBackends, ready, setBackend, setRandomSeed } from '@strata/layers';
import { DEFAULT_TEXT, charModel, corpus, generate, seededRandom, windows } from './char-model.ts';

const USAGE = 'usage: main [--backend cpu|webgpu] [--epochs N] [--text FILE] [--chars N] [--length N] [--temperature T]';
const opts = { backend: 'auto', epochs: 10, text: DEFAULT_TEXT, chars: 20000, length: 300, temperature: 0.5 };
const args = process.argv.slice(2).filter((a) => a !== '--');
for (let i = 0; i < args.length; i += 2) {
  const [flag, value] = [args[i], args[i + 1]];
  if (value === undefined) throw new Error(`${flag}: missing value\n${USAGE}`);
  const key = flag.replace(/^--/, '') as keyof typeof opts;
  if (!(key in opts)) throw new Error(`unknown option ${flag}\n${USAGE}`);
  const numeric = typeof opts[key] === 'number';
  if (numeric && !(Number(value) > 0)) throw new Error(`${flag} must be a positive number, got ${value}`);
  Object.assign(opts, { [key]: numeric ? Number(value) : value });
}
if (opts.backend !== 'auto' && opts.backend !== 'cpu' && opts.backend !== 'webgpu') throw new Error(`--backend must be cpu or webgpu, got ${opts.backend}`);

setRandomSeed(0);
if (opts.backend === 'auto') await ready();
else await setBackend(opts.backend as 'cpu' | 'webgpu');

const STEPS = 40;
const text = readFileSync(opts.text, 'utf8').replace(/\s+/g, ' ').slice(0, opts.chars);
const data = corpus(text);
const { x, y } = windows(data, STEPS, 3);
console.log(`${opts.text}: ${text.length} characters, ${data.chars.length} distinct; ${x.shape[0]} windows of ${STEPS}`);
const model = charModel(data.chars.length, STEPS);
model.summary();
const random = seededRandom(1);
const seed = text.slice(0, STEPS);
for (let epoch = 1; epoch <= opts.epochs; epoch++) {
  await model.fit(x, y, { epochs: epoch, initialEpoch: epoch - 1, batchSize: 128 });
  if (epoch % 5 === 0 || epoch === opts.epochs) console.log(`after epoch ${epoch}: "${seed}" → "${await generate(model, data, seed, 80, opts.temperature, random)}"`);
}
console.log(`\n${opts.length} characters at temperature ${opts.temperature}:\n${seed}${await generate(model, data, seed, opts.length, opts.temperature, random)}`);
x.dispose();
y.dispose();
model.dispose();
await disposeBackends();
