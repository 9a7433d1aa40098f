// The functional API on real MNIST: a two-input, two-output model (see two-heads.ts) trained for 3 epochs
// of batch 64, then evaluated on the test set with each head's loss and accuracy.
import { fashionMnist, mnist } from '@strata/datasets';
import { disposeBackends, ready, setBackend, setRandomSeed } from '@strata/layers';
import { parseOptions } from '../mnist-mlp/options.ts';
import { disposeData, prepareTwoHeads, twoHeadsModel } from './two-heads.ts';

const opts = parseOptions(process.argv.slice(2), { epochs: 3, batchSize: 64 });
setRandomSeed(opts.seed);
if (opts.backend === 'auto') await ready();
else await setBackend(opts.backend);

const [trainSplit, testSplit] = (opts.dataset === 'fashion' ? fashionMnist : mnist).loadData();
const train = prepareTwoHeads(trainSplit);
const test = prepareTwoHeads(testSplit);

const model = twoHeadsModel();
model.summary();

const started = performance.now();
await model.fit(train.x, train.y, { epochs: opts.epochs, batchSize: opts.batchSize });
const trainSeconds = (performance.now() - started) / 1000;

const logs = await model.evaluate(test.x, test.y, { verbose: 0, returnDict: true });
for (const [name, value] of Object.entries(logs)) console.log(`test_${name}: ${value.toFixed(4)}`);
console.log(`training wall time: ${trainSeconds.toFixed(1)} s (${opts.epochs} epochs)`);

disposeData(train);
disposeData(test);
model.dispose();
await disposeBackends();
