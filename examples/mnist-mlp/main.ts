// The book's first example (Deep Learning with Python, chapter 2), in Strata:
// a Dense(512, relu) → Dense(10, softmax) network trained on MNIST with RMSprop for 5 epochs of batch 128.
import { fashionMnist, mnist } from '@strata/datasets';
import { Sequential, argmax, disposeBackends, layers, ready, setBackend, slice, tensor, toCategorical, div, cast, reshape } from '@strata/layers';
import { parseOptions } from './options.ts';

const opts = parseOptions(process.argv.slice(2));
if (opts.backend === 'auto') await ready();
else await setBackend(opts.backend);

const [[trainRaw, trainLabelsRaw], [testRaw, testLabelsRaw]] = (opts.dataset === 'fashion' ? fashionMnist : mnist).loadData();

// train_images = train_images.reshape((60000, 28 * 28)).astype('float32') / 255
const prepare = (raw: { values: Uint8Array; shape: number[] }) => {
  const images = tensor(raw.values, raw.shape, 'uint8');
  const flat = reshape(images, [raw.shape[0], 28 * 28]);
  const asFloat = cast(flat, 'float32');
  const scaled = div(asFloat, 255);
  for (const t of [images, flat, asFloat]) t.dispose();
  return scaled;
};
const trainImages = prepare(trainRaw);
const testImages = prepare(testRaw);
const trainLabels = toCategorical(tensor(trainLabelsRaw.values, trainLabelsRaw.shape, 'int32'), 10);
const testLabels = toCategorical(tensor(testLabelsRaw.values, testLabelsRaw.shape, 'int32'), 10);

const network = new Sequential([
  layers.dense({ units: 512, activation: 'relu', inputShape: [28 * 28] }),
  layers.dense({ units: 10, activation: 'softmax' }),
]);
network.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
network.summary();

const started = performance.now();
await network.fit(trainImages, trainLabels, { epochs: opts.epochs, batchSize: opts.batchSize });
const trainSeconds = (performance.now() - started) / 1000;

const [testLoss, testAcc] = await network.evaluate(testImages, testLabels, { verbose: 0 });
console.log(`test_loss: ${testLoss.toFixed(4)}`);
console.log(`test_acc: ${testAcc.toFixed(4)}`);
console.log(`training wall time: ${trainSeconds.toFixed(1)} s (${opts.epochs} epochs)`);

// predictions = model.predict(test_digits); predictions[0].argmax() → 7
const testDigits = slice(testImages, '0:10');
const predictions = network.predict(testDigits);
const first = slice(predictions, '0');
const probabilities = Array.from(await first.data(), (p) => Number(p.toFixed(6)));
console.log(`predictions[0]: [${probabilities.join(', ')}]`);
console.log(`predictions[0].argmax(): ${(await argmax(first).data())[0]} (label: ${testLabelsRaw.values[0]})`);

await disposeBackends();
