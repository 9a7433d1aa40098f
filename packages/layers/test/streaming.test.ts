import { describe, expect, it } from 'vitest';
import { Dataset, Dense, Sequential, dispose, gather, memory, mul, setBackend, tensor, toCategorical, type Callback, type Tensor } from '../src/index.ts';
import { separable, values } from './helpers.ts';

/**
 * fit/evaluate/predict on streams of batches (async generators, Dataset) and the Dataset pipeline:
 * the same numbers as on tensors, batches prepared while the model trains (shown by timestamps), and
 * no tensor left behind.
 */

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function model(): Sequential {
  const m = new Sequential([new Dense({ units: 6, activation: 'relu', inputShape: [4], kernelInitializer: 'glorotUniform' }), new Dense({ units: 3, activation: 'softmax' })]);
  m.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

describe('streaming data', () => {
  it('fit on a Dataset of [x, y] batches trains exactly as fit on the tensors (no shuffling)', async () => {
    await setBackend('cpu');
    const { x, labels } = separable(20);
    const y = toCategorical(labels, 3);
    const [a, b] = [model(), model()];
    const start = a.getWeights();
    b.setWeights(start);
    dispose(start);
    const onTensors = await a.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    const ds = Dataset.fromTensors(x, y).batch(8).prefetch(2);
    expect(ds.size).toBe(3);
    const onStream = await b.fit(ds, { epochs: 2, verbose: 0 });
    expect(onStream.history.loss).toEqual(onTensors.history.loss);
    expect(onStream.history.accuracy).toEqual(onTensors.history.accuracy);
    expect(await a.evaluate(ds, { verbose: 0 })).toEqual(await a.evaluate(x, y, { verbose: 0, batchSize: 8 }));
    const predicted = await a.predict(Dataset.fromTensors(x).batch(7));
    expect(await values(predicted as Tensor)).toEqual(await values(a.predict(x) as Tensor));
    (predicted as Tensor).dispose();
    a.dispose();
    b.dispose();
    dispose([x, labels, y]);
  });

  it('a slow async generator prepares the next batch while the model trains on the current one', async () => {
    await setBackend('cpu');
    const { x, labels } = separable(64);
    const y = toCategorical(labels, 3);
    const steps = 6;
    const prepared: Array<{ start: number; end: number }> = [];
    async function* slowBatches(): AsyncGenerator<[Tensor, Tensor]> {
      for (let i = 0; ; i++) {
        const start = performance.now();
        await sleep(25); // reading or decoding, off the host thread's critical path
        const rows = tensor(Array.from({ length: 16 }, (_, r) => (i * 16 + r) % 64), [16], 'int32');
        const batch: [Tensor, Tensor] = [gather(x, rows), gather(y, rows)];
        rows.dispose();
        prepared.push({ start, end: performance.now() });
        yield batch;
      }
    }
    const trained: Array<{ start: number; end: number }> = [];
    const timing: Callback = { onBatchBegin: () => void trained.push({ start: performance.now(), end: NaN }), onBatchEnd: () => void (trained[trained.length - 1].end = performance.now()) } as unknown as Callback;
    const m = model();
    await m.trainOnBatch(x, y); // the optimizer makes its state variables on its first step
    const before = memory().numTensors;
    await m.fit(slowBatches(), { epochs: 1, stepsPerEpoch: steps, verbose: 0, callbacks: [timing] });
    expect(trained).toHaveLength(steps);
    // batch k + 1 was asked for before step k began and was still being made while step k ran
    for (let k = 0; k + 1 < steps; k++) {
      expect(prepared[k + 1].start).toBeLessThan(trained[k].start);
      expect(prepared[k + 1].end).toBeGreaterThan(trained[k].start);
    }
    // every batch freed, the one read ahead too (fit may also free state trainOnBatch left, e.g. at a progress read)
    expect(memory().numTensors).toBeLessThanOrEqual(before);
    m.dispose();
    dispose([x, labels, y]);
  });

  it('Dataset: shuffle is seeded and a full permutation, map and batch keep the structure, sizes are known', async () => {
    await setBackend('cpu');
    const x = tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [10, 1]);
    const read = async (ds: Dataset): Promise<number[][]> => {
      const out: number[][] = [];
      for await (const el of ds) {
        out.push(await values(el as Tensor));
        (el as Tensor).dispose();
      }
      return out;
    };
    const first = (await read(Dataset.fromTensors(x).shuffle(10, 7).batch(10))).flat();
    expect([...first].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(first).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect((await read(Dataset.fromTensors(x).shuffle(10, 7).batch(10))).flat()).toEqual(first);
    const doubled = Dataset.fromTensors(x).map((t) => mul(t as Tensor, 2)).batch(4);
    expect(doubled.size).toBe(3);
    expect(await read(doubled)).toEqual([[0, 2, 4, 6], [8, 10, 12, 14], [16, 18]]);
    expect(Dataset.fromTensors(x).batch(4, true).size).toBe(2);
    expect(() => Dataset.fromTensors(x).shuffle(0)).toThrow('Dataset.shuffle: bufferSize must be a positive integer, got 0');
    x.dispose();
  });

  it('bad stream arguments are named', async () => {
    await setBackend('cpu');
    const m = model();
    async function* endless(): AsyncGenerator<[Tensor, Tensor]> {
      yield [tensor([[1, 2, 3, 4]]), tensor([[1, 0, 0]])];
    }
    await expect(m.fit(endless(), { verbose: 0 })).rejects.toThrow('fit: a generator or iterable of unknown length needs stepsPerEpoch');
    await expect(m.fit(Dataset.fromTensors(tensor([[1, 2, 3, 4]]), tensor([[1, 0, 0]])).batch(1), { validationSplit: 0.5, verbose: 0 })).rejects.toThrow('fit: validationSplit needs tensors');
    async function* wrong(): AsyncGenerator<unknown> {
      yield tensor([[1, 2, 3, 4]]);
    }
    await expect(m.fit(wrong(), { stepsPerEpoch: 1, verbose: 0 })).rejects.toThrow('fit (batch 1 of the stream): expected [x, y] or [x, y, sampleWeight], got object');
    m.dispose();
  });
});
