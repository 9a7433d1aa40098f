import { describe, expect, it } from 'vitest';
import { Sequential, initializers, layers, memory, tensor, toCategorical, type Tensor } from '../src/index.ts';
import { lineSink, separable } from './helpers.ts';

function classifier(seed = 1): Sequential {
  return new Sequential([
    layers.dense({ units: 16, activation: 'relu', inputShape: [4], kernelInitializer: initializers.glorotUniform({ seed }) }),
    layers.dense({ units: 3, activation: 'softmax', kernelInitializer: initializers.glorotUniform({ seed: seed + 1 }) }),
  ]);
}

describe('fit', () => {
  const { x, labels } = separable(600);
  const y = toCategorical(labels, 3);

  it('learns a separable problem: the loss falls and accuracy passes 0.9', async () => {
    const model = classifier();
    model.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 8, batchSize: 32, verbose: 0, seed: 1 });
    const { loss, accuracy } = history.history;
    expect(loss).toHaveLength(8);
    expect(loss[7]).toBeLessThan(loss[0] * 0.6);
    expect(accuracy[7]).toBeGreaterThan(0.9);
    expect(history.epoch).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(history.params).toEqual({ epochs: 8, steps: 19, verbose: 0 });
    expect(model.history).toBe(history);
    const [testLoss, testAcc] = await model.evaluate(x, y, { verbose: 0 });
    expect(testAcc).toBeGreaterThan(0.9);
    expect(testLoss).toBeLessThan(loss[0]);
    expect(await model.evaluate(x, y, { verbose: 0, returnDict: true })).toEqual({ loss: testLoss, accuracy: testAcc });
  });

  it('sparse labels and sparse_categorical_crossentropy, with validationSplit', async () => {
    const model = classifier(1);
    model.compile({ optimizer: 'rmsprop', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, labels, { epochs: 8, batchSize: 25, verbose: 0, validationSplit: 0.25, seed: 2 });
    expect(Object.keys(history.history)).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    expect(history.params.steps).toBe(18); // 450 training samples / 25
    expect(history.history.val_accuracy[7]).toBeGreaterThan(0.85);
  });

  it('validationData gives val_ metrics; the Keras progress line lists them after the training ones', async () => {
    const model = classifier(5);
    model.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const sink = lineSink();
    const history = await model.fit(x, y, { epochs: 2, batchSize: 128, validationData: [x, y], log: sink.log });
    expect(history.history.val_loss).toHaveLength(2);
    expect(sink.lines[0]).toBe('Epoch 1/2');
    expect(sink.lines[1]).toMatch(/^5\/5 ━{20} \d+s \d+(ms|us)\/step - accuracy: \d\.\d{4} - loss: \d\.\d{4} - val_accuracy: \d\.\d{4} - val_loss: \d\.\d{4}$/);
    expect(sink.lines[2]).toBe('Epoch 2/2');
    expect(sink.lines).toHaveLength(4);
  });

  it("progress: the book's line shape, verbose 2, and evaluate's line", async () => {
    const model = classifier(7);
    model.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const one = lineSink();
    await model.fit(x, y, { epochs: 1, batchSize: 128, log: one.log });
    expect(one.lines).toHaveLength(1); // no "Epoch 1/1" for a single epoch, as in Keras
    expect(one.lines[0]).toMatch(/^\d+\/\d+ ━+ \d+s \d+(ms|us)\/step - accuracy: \d\.\d{4} - loss: \d\.\d{4}$/);
    const two = lineSink();
    await model.fit(x, y, { epochs: 2, batchSize: 128, verbose: 2, log: two.log });
    expect(two.lines[1]).toMatch(/^5\/5 - \d+s - \d+(ms|us)\/step - accuracy: \d\.\d{4} - loss: \d\.\d{4}$/);
    const silent = lineSink();
    await model.fit(x, y, { epochs: 2, batchSize: 128, verbose: 0, log: silent.log });
    expect(silent.lines).toEqual([]);
    const ev = lineSink();
    await model.evaluate(x, y, { batchSize: 100, log: ev.log });
    expect(ev.lines).toHaveLength(1);
    expect(ev.lines[0]).toMatch(/^6\/6 ━{20} \d+s \d+(ms|us)\/step - accuracy: \d\.\d{4} - loss: \d\.\d{4}$/);
  });

  it('on a TTY the progress line is redrawn in place with \\r, then ended with a newline', async () => {
    const model = classifier(19);
    model.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const written: string[] = [];
    const stdout = process.stdout;
    const original = { write: stdout.write, isTTY: stdout.isTTY };
    Object.defineProperty(stdout, 'isTTY', { value: true, configurable: true });
    stdout.write = ((chunk: string): boolean => written.push(String(chunk)) > 0) as typeof stdout.write;
    const slowBatch = (): void => { const end = performance.now() + 30; while (performance.now() < end); };
    try {
      await model.fit(x, y, { epochs: 1, batchSize: 100, callbacks: [{ onBatchEnd: slowBatch }] });
    } finally {
      stdout.write = original.write;
      Object.defineProperty(stdout, 'isTTY', { value: original.isTTY, configurable: true });
    }
    const redraws = written.filter((w) => w.startsWith('\r') && !w.endsWith('\n'));
    expect(redraws.length).toBeGreaterThan(0);
    expect(redraws[0]).toMatch(/^\r\d\/6 .*━.* \d+s - accuracy: \d\.\d{4} - loss: \d\.\d{4}/);
    expect(written.at(-1)).toMatch(/^\r6\/6 .* \d+s \d+ms\/step - accuracy: \d\.\d{4} - loss: \d\.\d{4}\s*\n$/);
  });

  it('steps per epoch are ceil(n / batchSize), the last partial batch included', async () => {
    const model = classifier(9);
    model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
    const sizes: number[] = [];
    const history = await model.fit(x, y, { epochs: 1, batchSize: 128, verbose: 0, callbacks: [{ onBatchEnd: (_b, logs) => void sizes.push(logs.size) }] });
    expect(history.params.steps).toBe(5);
    expect(sizes).toEqual([128, 128, 128, 128, 88]);
  });

  it('shuffling is seeded: the same seed gives the same run', async () => {
    const run = async (): Promise<number[]> => {
      const model = classifier(11);
      model.compile({ optimizer: 'sgd', loss: 'categorical_crossentropy' });
      return (await model.fit(x, y, { epochs: 2, batchSize: 64, verbose: 0, seed: 5 })).history.loss;
    };
    expect(await run()).toEqual(await run());
  });

  it('regression with mse / mae', async () => {
    const xs = tensor(Array.from({ length: 64 }, (_, i) => [i / 64, 1 - i / 64]));
    const ys = tensor(Array.from({ length: 64 }, (_, i) => [2 * (i / 64) - 1]));
    const model = new Sequential([layers.dense({ units: 1, inputShape: [2], kernelInitializer: initializers.zeros() })]);
    model.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const { history } = await model.fit(xs, ys, { epochs: 20, batchSize: 8, verbose: 0 });
    expect(Object.keys(history)).toEqual(['loss', 'mae']);
    expect(history.loss[19]).toBeLessThan(history.loss[0] / 2);
  });

  it('initialEpoch offsets the epochs; trainOnBatch/testOnBatch give numbers', async () => {
    const model = classifier(13);
    model.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const history = await model.fit(x, y, { epochs: 3, initialEpoch: 1, verbose: 0 });
    expect(history.epoch).toEqual([1, 2]);
    const [loss, acc] = await model.trainOnBatch(x, y);
    expect(Number.isFinite(loss)).toBe(true);
    expect(acc).toBeGreaterThanOrEqual(0);
    const tested = await model.testOnBatch(x, y);
    expect(tested).toHaveLength(2);
  });

  it('predict batches and matches predictOnBatch', async () => {
    const model = classifier(15);
    const a = model.predict(x, { batchSize: 64 });
    const b = model.predictOnBatch(x);
    expect(a.shape).toEqual([600, 3]);
    const [va, vb] = [await a.data(), await b.data()];
    va.forEach((v, i) => expect(v).toBeCloseTo(vb[i], 6));
    for (const t of [a, b] as Tensor[]) t.dispose();
  });

  it('keeps the tensor count stable across epochs and across 100 predict calls', async () => {
    const model = classifier(17);
    model.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const counts: number[] = [];
    await model.fit(x, y, { epochs: 4, batchSize: 64, verbose: 0, validationSplit: 0.2, callbacks: [{ onEpochEnd: () => void counts.push(memory().numTensors) }] });
    expect(new Set(counts.slice(1)).size).toBe(1);
    const afterFit = memory().numTensors;
    await model.fit(x, y, { epochs: 1, verbose: 0 });
    expect(memory().numTensors).toBe(afterFit);
    const before = memory().numTensors;
    for (let i = 0; i < 100; i++) model.predict(x, { batchSize: 256 }).dispose();
    expect(memory().numTensors).toBe(before);
    await model.evaluate(x, y, { verbose: 0 });
    expect(memory().numTensors).toBe(before);
  });
});
