// The book's first example (Deep Learning with Python, chapter 2), in Strata:
// a Dense(512, relu) → Dense(10, softmax) network trained on MNIST with RMSprop for 5 epochs of batch 128;
// with `--model convnet`, its chapter 8 convnet (convnet.ts), 5 epochs of batch 64.
import { fashionMnist, mnist } from '@strata/datasets';
import { argmax, disposeBackends, ready, setBackend, setRandomSeed, slice } from '@strata/layers';
import { bookNetwork, prepare } from './book.ts';
import { bookConvnet, prepareImages } from './convnet.ts';
import { parseOptions } from './options.ts';

const opts = parseOptions(process.argv.slice(2));
setRandomSeed(opts.seed);
if (opts.backend === 'auto') await ready();
else await setBackend(opts.backend);

const [trainSplit, testSplit] = (opts.dataset === 'fashion' ? fashionMnist : mnist).loadData();
const convnet = opts.model === 'convnet';
const train = (convnet ? prepareImages : prepare)(trainSplit);
const test = (convnet ? prepareImages : prepare)(testSplit);

const network = convnet ? bookConvnet() : bookNetwork();
network.summary();

const started = performance.now();
await network.fit(train.x, train.y, { epochs: opts.epochs, batchSize: opts.batchSize });
const trainSeconds = (performance.now() - started) / 1000;

const [testLoss, testAcc] = await network.evaluate(test.x, test.y, { verbose: 0 });
console.log(`test_loss: ${testLoss.toFixed(4)}`);
console.log(`test_acc: ${testAcc.toFixed(4)}`);
console.log(`training wall time: ${trainSeconds.toFixed(1)} s (${opts.epochs} epochs)`);

// predictions = model.predict(test_digits); predictions[0].argmax() → 7
const predictions = network.predict(slice(test.x, '0:10'));
const first = slice(predictions, '0');
const probabilities = Array.from(await first.data(), (p) => Number(p.toFixed(6)));
console.log(`predictions[0]: [${probabilities.join(', ')}]`);
console.log(`predictions[0].argmax(): ${(await argmax(first).data())[0]} (label: ${testSplit[1].values[0]})`);

await disposeBackends();
