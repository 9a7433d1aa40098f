import { afterAll, describe, expect, it } from 'vitest';
import { Sequential, dispose, initializers, layers, memory, setBackend, toCategorical, type Tensor } from '../src/index.ts';
import { expectFlat, footprint, modelState, separable, values } from './helpers.ts';

/**
 * Load and soak: a long training run holds its memory flat, and predict from many concurrent callers
 * while another model trains gives exactly what sequential calls give.
 */

function small(seed: number): Sequential {
  const m = new Sequential([
    layers.dense({ units: 16, activation: 'relu', inputShape: [4], kernelInitializer: initializers.glorotUniform({ seed }) }),
    layers.batchNormalization(),
    layers.dense({ units: 3, activation: 'softmax', kernelInitializer: initializers.glorotUniform({ seed: seed + 1 }) }),
  ]);
  m.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const yieldOnce = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe.each(['cpu', 'webgpu'] as const)('soak on %s', (backend) => {
  afterAll(() => setBackend('cpu'));

  it('20 epochs with validation: live tensors, bytes and GPU pool bytes are flat after epoch 2', async () => {
    await setBackend(backend);
    const { x, labels } = separable(48);
    const y = toCategorical(labels, 3);
    const model = small(5);
    const atEpochEnd: ReturnType<typeof footprint>[] = [];
    await model.fit(x, y, { epochs: 20, batchSize: 12, verbose: 0, validationSplit: 0.25, seed: 1, callbacks: [{ onEpochEnd: () => void atEpochEnd.push(footprint(memory())) }] });
    expect(atEpochEnd).toHaveLength(20);
    for (const later of atEpochEnd.slice(2)) expectFlat(later, atEpochEnd[1]);
    model.dispose();
    dispose([x, labels, y]);
  });

  it('8 concurrent async predict callers on one model while another model trains: equal to sequential runs', async () => {
    await setBackend(backend);
    const { x, labels } = separable(32);
    const y = toCategorical(labels, 3);
    const served = small(9);
    await served.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0, seed: 2 });
    const sets = Array.from({ length: 8 }, (_, caller) => separable(4 + caller, 100 + caller));
    const inputs = sets.map((s) => s.x);
    const predictOnce = async (input: Tensor): Promise<number[]> => {
      const out = served.predict(input) as Tensor;
      const v = await values(out);
      out.dispose();
      return v;
    };
    const sequential: number[][] = [];
    for (const input of inputs) sequential.push(await predictOnce(input));

    const trained = small(11);
    const reference = small(11);
    const training = trained.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0, seed: 4 });
    const callers = inputs.map(async (input, caller) => {
      const seen: number[][] = [];
      for (let round = 0; round < 5; round++) {
        seen.push(await predictOnce(input));
        await yieldOnce();
      }
      for (const v of seen) expect(v).toEqual(sequential[caller]);
    });
    await Promise.all([training, ...callers]);
    await reference.fit(x, y, { epochs: 3, batchSize: 4, verbose: 0, seed: 4 });
    expect(await modelState(trained)).toEqual(await modelState(reference));
    for (const m of [served, trained, reference]) m.dispose();
    dispose([x, labels, y, ...sets.flatMap((s) => [s.x, s.labels])]);
  });
});
