import { afterAll, describe, expect, it } from 'vitest';
import { Adam, Sequential, Variable, add, dispose, mul, gather, initializers, layers, scalar, setBackend, slice, tensor, tidy, toCategorical, type Tensor } from '../src/index.ts';
import { permutation } from '../src/training/data.ts';
import { StepGuard } from '../src/training/step-guard.ts';
import { modelState, separable } from './helpers.ts';

/**
 * A step whose loss or any gradient is not finite changes nothing (weights, BatchNormalization moving
 * statistics, optimizer slots and iteration count), and so does every later step until fit's next
 * read-back stops training with an error naming the epoch, the step and the batch's samples.
 */

const n = 30;
const batchSize = 10;

function model(): Sequential {
  const m = new Sequential([
    layers.dense({ units: 8, activation: 'relu', inputShape: [4], kernelInitializer: initializers.glorotUniform({ seed: 1 }) }),
    layers.batchNormalization({ momentum: 0.5 }),
    layers.dense({ units: 3, activation: 'softmax', kernelInitializer: initializers.glorotUniform({ seed: 2 }) }),
  ]);
  m.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

/** `x` with `value` at feature 0 of `row`. */
function poisoned(x: Tensor, row: number, value: number): Tensor {
  return tidy(() => {
    const mask = Array.from({ length: n }, (_, i) => [i === row ? value : 0, 0, 0, 0]);
    return add(x, tensor(mask));
  });
}

describe.each(['cpu', 'webgpu'] as const)('non-finite steps on %s', (backend) => {
  afterAll(() => setBackend('cpu'));

  it('NaN in the last batch: error names epoch, step and samples; the model is as after the last good step', async () => {
    await setBackend(backend);
    const { x, labels } = separable(n);
    const y = toCategorical(labels, 3);
    const bad = poisoned(x, 25, NaN);
    const m = model();
    await m.trainOnBatch(x, y); // the optimizer has state to keep
    const reference = model();
    await reference.trainOnBatch(x, y);
    await expect(m.fit(bad, y, { batchSize, epochs: 2, shuffle: false, verbose: 0 })).rejects.toThrow(
      'fit: the loss, a gradient or an updated weight was not finite (NaN or Infinity) in epoch 1, step 3/3, the batch of samples [20, 21, 22, 23, 24, 25, 26, 27, 28, 29] of x; training stopped. No update was applied from that step on: the weights and optimizer state are as after step 2.',
    );
    // the reference takes the same two good steps
    for (const start of [0, 10]) await reference.trainOnBatch(slice(x, [{ start, stop: start + batchSize }]), slice(y, [{ start, stop: start + batchSize }]));
    expect(m.optimizer.iterations).toBe(3);
    expect(await modelState(m)).toEqual(await modelState(reference));
    // training goes on from there, the same as the reference
    await m.fit(x, y, { batchSize, shuffle: false, verbose: 0 });
    await reference.fit(x, y, { batchSize, shuffle: false, verbose: 0 });
    expect(await modelState(m)).toEqual(await modelState(reference));
  });

  it('Infinity in a shuffled epoch: the named batch holds the bad sample and no step after it moved anything', async () => {
    await setBackend(backend);
    const { x, labels } = separable(n);
    const y = toCategorical(labels, 3);
    const bad = poisoned(x, 7, Infinity);
    const m = model();
    const reference = model();
    const seed = 11;
    const order = permutation(n, seed >>> 0);
    const badStep = Math.floor(order.indexOf(7) / batchSize) + 1;
    const samples = Array.from(order.subarray((badStep - 1) * batchSize, badStep * batchSize));
    const error = await m.fit(bad, y, { batchSize, epochs: 3, seed, verbose: 0 }).catch((e: Error) => e);
    expect(String(error)).toContain(`in epoch 1, step ${badStep}/3, the batch of samples [${samples.join(', ')}] of x`);
    for (let step = 1; step < badStep; step++) {
      const picked = order.subarray((step - 1) * batchSize, step * batchSize);
      await reference.trainOnBatch(gather(x, Array.from(picked)), gather(y, Array.from(picked)));
    }
    expect(m.optimizer.iterations).toBe(badStep - 1);
    expect(await modelState(m)).toEqual(await modelState(reference));
  });

  it('huge inputs whose finite gradients overflow the optimizer slots (RMSprop, g² = Inf) are stopped too', async () => {
    await setBackend(backend);
    const { x, labels } = separable(n);
    const y = toCategorical(labels, 3);
    const m = model();
    m.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy' });
    await m.trainOnBatch(x, y);
    const before = await modelState(m);
    await expect(m.fit(mul(x, 1e30), y, { batchSize, shuffle: false, verbose: 0 })).rejects.toThrow('in epoch 1, step 1/3, the batch of samples [0, 1, 2, 3, 4, 5, 6, 7, 8, 9] of x');
    expect(await modelState(m)).toEqual(before);
  });

  it('a finite loss with one non-finite gradient updates nothing; later steps neither, until the guard is read', async () => {
    await setBackend(backend);
    const w = [new Variable(tensor([1, 2, 3]), 'w0'), new Variable(tensor([[4, 5]]), 'w1')];
    const optimizer = new Adam({ learningRate: 0.1 });
    const guard = new StepGuard();
    const step = (grads: Tensor[]): void => {
      guard.check(scalar(0.5), grads);
      try {
        optimizer.applyGradients(grads, w);
      } finally {
        guard.end();
      }
    };
    step([tensor([0.1, 0.2, 0.3]), tensor([[1, 1]])]);
    expect(await guard.firstBadStep()).toBeUndefined();
    const after = await Promise.all(w.map(async (v) => Array.from(await v.data())));
    step([tensor([0.1, 0.2, 0.3]), tensor([[1, -Infinity]])]);
    step([tensor([0.1, 0.2, 0.3]), tensor([[1, 1]])]); // finite, but after a bad one: skipped too
    expect(await guard.firstBadStep()).toBe(2);
    expect(await Promise.all(w.map(async (v) => Array.from(await v.data())))).toEqual(after);
    expect(optimizer.iterations).toBe(3); // the host count runs ahead until fit syncs it
    await optimizer.syncIterations();
    expect(optimizer.iterations).toBe(1);
    guard.dispose();
    dispose([...w, ...optimizer.variables()]);
  });
});
