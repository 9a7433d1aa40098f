import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Sequential, disposeBackends, dispose, layers, memory, randomUniform, reshape, setBackend, setRandomSeed, tensor, toCategorical, type Tensor,
} from '../src/index.ts';
import { expectFlat, footprint, separable } from './helpers.ts';

afterAll(async () => {
  setRandomSeed(undefined);
  await disposeBackends();
});

/** The book's network (Deep Learning with Python, ch. 2): Dense 512 relu → Dense 10 softmax, rmsprop. */
function bookNetwork(): Sequential {
  const model = new Sequential([layers.dense({ units: 512, activation: 'relu', inputShape: [784] }), layers.dense({ units: 10, activation: 'softmax' })]);
  model.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

describe('FinalizationRegistry safety net', () => {
  // A real collection: V8's gc() exposed at runtime (as `node --expose-gc` would).
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;

  const nextTask = () => new Promise((resolve) => setTimeout(resolve, 10));

  /**
   * Collect until `until()` holds. memory() derefs the engine's weak references, which keeps their targets
   * alive until the current job ends, so each gc() runs in a fresh task; finalizers run in the next ones.
   */
  async function collect(until: () => boolean): Promise<void> {
    for (let i = 0; i < 20 && !until(); i++) {
      await nextTask();
      gc();
      await nextTask();
    }
  }

  it('reclaims the storage of tensors dropped without dispose outside tidy', async () => {
    await setBackend('cpu');
    await collect(() => false); // nothing else collectable is left to be counted below
    const start = memory();
    let dropped: Tensor[] | undefined = Array.from({ length: 20 }, (_, i) => tensor(new Float32Array(1000).fill(i)));
    const kept = tensor([1, 2, 3]);
    expect(memory().numTensors).toBe(start.numTensors + 21);
    expect(memory().cpuBytes).toBe(start.cpuBytes + 20 * 4000 + 12);
    dropped = undefined;
    await collect(() => memory().numReclaimed >= start.numReclaimed + 20);
    expect(dropped).toBeUndefined();
    expect(memory().numReclaimed - start.numReclaimed).toBe(20);
    expect(memory().numTensors).toBe(start.numTensors + 1);
    expect(memory().cpuBytes).toBe(start.cpuBytes + 12);
    expect(Array.from(await kept.data())).toEqual([1, 2, 3]); // what is still referenced is untouched
    kept.dispose();
  });

  it('a disposed tensor is never released twice; a view keeps the shared storage alive', async () => {
    await setBackend('cpu');
    await collect(() => false);
    const start = memory();
    let base: Tensor | undefined = tensor(new Float32Array(500).fill(7));
    const view = reshape(base, [25, 20]);
    base.dispose();
    base = undefined;
    let orphan: Tensor | undefined = tensor(new Float32Array(250).fill(1));
    orphan = undefined;
    await collect(() => memory().numReclaimed >= start.numReclaimed + 1);
    expect(orphan).toBeUndefined();
    expect(memory().numReclaimed - start.numReclaimed).toBe(1); // only the orphan, not the disposed base
    expect((await view.data())[499]).toBe(7);
    expect(memory().cpuBytes).toBe(start.cpuBytes + 2000);
    view.dispose();
    expect(memory().cpuBytes).toBe(start.cpuBytes);
  });
});

describe.each(['cpu', 'webgpu'] as const)('memory on %s', (name) => {
  it('training the book network: memory() is flat from the end of epoch 1 to the end of epoch 5', async () => {
    await setBackend(name);
    setRandomSeed(3);
    // MNIST-shaped stand-in data (pixels in [0, 1), 10 classes): memory does not depend on the values
    const x = randomUniform([64, 784], 0, 1, { seed: 1 });
    const labels = tensor(Array.from({ length: 64 }, (_, i) => i % 10), [64], 'int32');
    const y = toCategorical(labels, 10);
    const model = bookNetwork();
    const atEpochEnd: ReturnType<typeof footprint>[] = [];
    try {
      await model.fit(x, y, { epochs: 5, batchSize: 16, verbose: 0, validationSplit: 0.25, callbacks: [{ onEpochEnd: () => void atEpochEnd.push(footprint(memory())) }] });
      expect(atEpochEnd).toHaveLength(5);
      for (const later of atEpochEnd.slice(1)) expectFlat(later, atEpochEnd[0]);
      if (name === 'webgpu') expect(atEpochEnd[0].gpuBytesInUse).toBeGreaterThan(784 * 512 * 4 * 2); // the kernel and its rmsprop slot
    } finally {
      model.dispose();
      dispose([x, labels, y]);
    }
  });

  it('predict and evaluate called 1,000 times each leak nothing', async () => {
    await setBackend(name);
    const { x, labels } = separable(32);
    const y = toCategorical(labels, 3);
    const model = new Sequential([layers.dense({ units: 8, activation: 'relu', inputShape: [4] }), layers.dense({ units: 3, activation: 'softmax' })]);
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    // the first calls build the model and fill the pipeline cache and the buffer pool: measure from call 10
    let before = footprint(memory());
    for (let i = 0; i < 1000; i++) {
      if (i === 10) before = footprint(memory());
      const p = model.predict(x, { batchSize: 16 }); // two batches and a concat
      if (i % 100 === 0) await p.data();
      p.dispose();
      await model.evaluate(x, y, { verbose: 0 });
    }
    expectFlat(footprint(memory()), before);
    model.dispose();
    dispose([x, labels, y]);
  });
});
