// Sequential MNIST (`pnpm lstm-mnist`): LSTM(128) → Dense(10, softmax) over the 28 rows of each image,
// adam, 5 epochs of batch 128, then the test set's loss and accuracy.
import { fashionMnist, mnist } from '@strata/datasets';
import { disposeBackends, ready, setBackend, setRandomSeed } from '@strata/layers';
import { parseOptions } from '../mnist-mlp/options.ts';
import { lstmModel, prepareSequences } from './lstm-mnist.ts';

const opts = parseOptions(process.argv.slice(2), { epochs: 5, batchSize: 128 });
setRandomSeed(opts.seed);
if (opts.backend === 'auto') await ready();
else await setBackend(opts.backend);

const [trainSplit, testSplit] = (opts.dataset === 'fashion' ? fashionMnist : mnist).loadData();
const train = prepareSequences(trainSplit);
const test = prepareSequences(testSplit);

const model = lstmModel();
model.summary();
const started = performance.now();
await model.fit(train.x, train.y, { epochs: opts.epochs, batchSize: opts.batchSize });
const trainSeconds = (performance.now() - started) / 1000;
const [loss, accuracy] = (await model.evaluate(test.x, test.y, { verbose: 0 })) as number[];
console.log(`test_loss: ${loss.toFixed(4)}\ntest_acc: ${accuracy.toFixed(4)}`);
console.log(`training wall time: ${trainSeconds.toFixed(1)} s (${opts.epochs} epochs, ${(trainSeconds / opts.epochs).toFixed(1)} s/epoch)`);

for (const t of [train.x, train.y, test.x, test.y]) t.dispose();
model.dispose();
await disposeBackends();
