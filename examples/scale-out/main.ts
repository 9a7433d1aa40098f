// Scale out and come back: Strata trains MNIST models for a leg and saves .keras with the optimizer state;
// Keras 3 on JAX continues on several devices (DataParallel, and ModelParallel sharding the first kernel);
// Strata loads each result and continues. Prints each leg's losses and what crossed each hand-over.
import { mnist } from '@strata/datasets';
import { disposeBackends, ready, setBackend } from '@strata/layers';
import { firstSamples } from '../mnist-mlp/book.ts';
import { TRIP_MODELS } from './models.ts';
import { parseOptions } from './options.ts';
import { runTrips, type StrataLeg } from './trip.ts';

const opts = parseOptions(process.argv.slice(2));
if (opts.backend === 'auto') await ready();
else await setBackend(opts.backend);

const [trainSplit] = mnist.loadData();
const split = firstSamples(trainSplit, Math.min(opts.samples, trainSplit[1].shape[0]));
const trips = TRIP_MODELS.filter((m) => opts.models.includes(m.name)).map((model) => ({ model, split }));
const started = performance.now();
const reports = await runTrips(trips, {
  dir: opts.dir,
  distributions: opts.distributions,
  epochs: opts.epochs,
  seed: opts.seed,
  devices: { python: opts.python, platform: opts.platform, cpuDevices: opts.cpuDevices },
});

const losses = (leg: { lossBefore: number; lossAfter: number }): string => `${leg.lossBefore.toFixed(4)} → ${leg.lossAfter.toFixed(4)}`;
const strata = (leg: StrataLeg): string => `loss ${losses(leg)}, iterations ${leg.iterations}`;
for (const r of reports) {
  console.log(`\n${r.model}: Strata, then Keras 3 on ${r.deviceCount} ${r.platform} devices, then Strata (files in ${opts.dir}/${r.model})`);
  console.log(`  1. Strata          ${strata(r.first)}`);
  for (const leg of r.legs) {
    const { keras } = leg;
    const layout = `${keras.weight.path} ${JSON.stringify(keras.weight.spec)} on ${keras.weight.devices} devices, shards ${keras.weight.shardShapes.map((s) => s.join('×')).join(' ')}`;
    console.log(`  2. ${keras.distribution.padEnd(15)} loss ${losses(keras)}, iterations ${keras.loadedIterations} → ${keras.iterations}; ${layout}`);
    console.log(`     into Keras: optimizer variables within ${leg.intoKeras.optimizer.toExponential(1)}; back: weights within ${leg.back.weights.toExponential(1)}, optimizer within ${leg.back.optimizer.toExponential(1)}`);
    console.log(`  3. Strata          ${strata(leg.strata)} (loaded at iteration ${leg.loadedIterations})`);
  }
  console.log(`  Strata alone, legs 2 and 3 without a hand-over: ${r.alone.map(strata).join('; ')}`);
}
console.log(`\nwall time: ${((performance.now() - started) / 1000).toFixed(1)} s`);
await disposeBackends();
