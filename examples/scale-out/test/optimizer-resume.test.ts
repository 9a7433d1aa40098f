// Every optimizer's state survives Strata → Keras 3 (DataParallel on 4 JAX CPU devices) → Strata: four
// steps in Strata, four in Keras from the saved file, four in Strata from Keras's file, and the weights and
// optimizer variables equal those of twelve uninterrupted Strata steps.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Adagrad, Adam, AdamW, RMSprop, SGD, Sequential, cast, disposeBackends, floor, initializers, layers, loadModel, memory, mul, randomNormal, randomUniform,
  setBackend, setRandomSeed, tidy, toCategorical, type Optimizer, type Tensor,
} from '@strata/layers';
import { afterAll, describe, expect, it } from 'vitest';
import { CPU_DEVICES, runKerasLegs, type KerasLegRequest } from '../keras-leg.ts';
import { writeNpy } from '../npy.ts';
import { maxDiff } from '../trip.ts';

const SAMPLES = 32;
const BATCH = 8; // 4 steps an epoch, each batch split over the 4 devices
/** Rates large enough that twelve steps move every weight well beyond the tolerance. */
const OPTIMIZERS: Record<string, () => Optimizer> = {
  'SGD (momentum 0.9)': () => new SGD({ learningRate: 0.05, momentum: 0.9 }),
  RMSprop: () => new RMSprop({ learningRate: 0.01 }),
  'RMSprop (centered, momentum 0.5)': () => new RMSprop({ learningRate: 0.01, centered: true, momentum: 0.5 }),
  Adam: () => new Adam({ learningRate: 0.01 }),
  'Adam (amsgrad)': () => new Adam({ learningRate: 0.01, amsgrad: true }),
  AdamW: () => new AdamW({ learningRate: 0.01, weightDecay: 0.05 }),
  Adagrad: () => new Adagrad({ learningRate: 0.1 }),
};

const dir = mkdtempSync(join(tmpdir(), 'strata-optimizer-resume-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  setRandomSeed(undefined);
  await disposeBackends();
});

function network(optimizer: Optimizer): Sequential {
  const model = new Sequential([
    layers.dense({ units: 16, activation: 'relu', inputShape: [8], kernelInitializer: initializers.glorotUniform({ seed: 3 }) }),
    layers.dense({ units: 3, activation: 'softmax', kernelInitializer: initializers.glorotUniform({ seed: 4 }) }),
  ]);
  model.compile({ optimizer, loss: 'categorical_crossentropy' });
  return model;
}

const fitOptions = { epochs: 1, batchSize: BATCH, shuffle: false, verbose: 0 } as const;

async function state(model: Sequential): Promise<{ weights: Float32Array[]; optimizer: Float32Array[] }> {
  const read = async (ts: readonly Tensor[]): Promise<Float32Array[]> => Promise.all(ts.map(async (t) => Float32Array.from(await t.data())));
  return { weights: await read(model.weights), optimizer: await read(model.optimizer.variables()) };
}

describe('optimizer state round trip: Strata → Keras 3 on 4 devices → Strata equals an uninterrupted Strata run', () => {
  it('every optimizer: weights and optimizer variables to 1e-5, iterations 12', async () => {
    await setBackend('cpu');
    const before = memory().numTensors;
    const x = randomNormal([SAMPLES, 8], 0, 1, { seed: 5 });
    const y = tidy(() => toCategorical(cast(floor(mul(randomUniform([SAMPLES], 0, 1, { seed: 6 }), 3)), 'int32'), 3));
    writeNpy(join(dir, 'x.npy'), { values: await x.data(), shape: [...x.shape] });
    writeNpy(join(dir, 'y.npy'), { values: await y.data(), shape: [...y.shape] });

    const requests: KerasLegRequest[] = [];
    const uninterrupted: Record<string, Awaited<ReturnType<typeof state>>> = {};
    const initial: Record<string, Float32Array[]> = {};
    for (const [i, [name, make]] of Object.entries(OPTIMIZERS).entries()) {
      const reference = network(make());
      initial[name] = (await state(reference)).weights;
      await reference.fit(x, y, { ...fitOptions, epochs: 3 });
      uninterrupted[name] = await state(reference);
      reference.dispose();

      const first = network(make());
      await first.fit(x, y, fitOptions);
      const legDir = join(dir, String(i));
      mkdirSync(legDir);
      await first.save(join(legDir, 'strata.keras'));
      const kernel = first.weights[0];
      first.dispose();
      requests.push({
        input: join(legDir, 'strata.keras'), output: join(legDir, 'keras.keras'), x: join(dir, 'x.npy'), y: join(dir, 'y.npy'),
        distribution: 'data', shard: kernel.name, shardRank: kernel.rank, epochs: 1, batchSize: BATCH, shuffle: false, seed: 0, dump: legDir,
      });
    }

    const keras = await runKerasLegs(requests, CPU_DEVICES);
    expect(keras.deviceCount).toBe(4);
    for (const [i, name] of Object.keys(OPTIMIZERS).entries()) {
      expect(keras.legs[i].loadedIterations, name).toBe(4);
      expect(keras.legs[i].iterations, name).toBe(8);
      const resumed = await loadModel(requests[i].output);
      expect(resumed.optimizer.className, name).toBe(OPTIMIZERS[name]().className);
      expect(resumed.optimizer.iterations, name).toBe(8);
      await resumed.fit(x, y, fitOptions);
      const got = await state(resumed as Sequential);
      const iterations = resumed.optimizer.iterations;
      resumed.dispose();
      const want = uninterrupted[name];
      console.log(`${name}: weights within ${maxDiff(got.weights, want.weights).toExponential(1)}, optimizer variables within ${maxDiff(got.optimizer, want.optimizer).toExponential(1)}; the run moved the weights by ${maxDiff(want.weights, initial[name]).toFixed(3)}`);
      expect(iterations, name).toBe(12);
      expect(got.optimizer.length, name).toBe(want.optimizer.length);
      expect(maxDiff(got.weights, want.weights), name).toBeLessThanOrEqual(1e-5);
      expect(maxDiff(got.optimizer, want.optimizer), name).toBeLessThanOrEqual(1e-5);
      expect(maxDiff(want.weights, initial[name]), name).toBeGreaterThan(0.05); // the comparison is not of near-untouched weights
    }
    x.dispose();
    y.dispose();
    expect(memory().numTensors).toBe(before);
  }, 600_000);
});
