import { describe, expect, it } from 'vitest';
import {
  Adam, Sequential, add, assertFinite, setBackend, dispose, initializers, layers, matmul, max, reshape, tensor, toCategorical, randomNormal, where, zeros, type Tensor,
  BackupAndRestore, LearningRateScheduler, losses, metrics, ones, optimizers,
} from '../src/index.ts';
import { separable, weightValues } from './helpers.ts';

function compiled(loss = 'categorical_crossentropy'): Sequential {
  const model = new Sequential([
    layers.dense({ units: 8, activation: 'relu', inputShape: [4], kernelInitializer: initializers.glorotUniform({ seed: 1 }), name: 'hidden' }),
    layers.dense({ units: 3, activation: 'softmax', kernelInitializer: initializers.glorotUniform({ seed: 2 }) }),
  ]);
  model.compile({ optimizer: 'rmsprop', loss, metrics: ['accuracy'] });
  return model;
}

describe('bad input is rejected before anything changes', () => {
  const { x, labels } = separable(60);
  const y = toCategorical(labels, 3);

  /** Runs `call`, expects it to reject with `message`, and checks the weights did not move. */
  async function rejects(model: Sequential, call: () => Promise<unknown>, message: RegExp): Promise<void> {
    const before = await weightValues(model);
    await expect(call()).rejects.toThrow(message);
    expect(await weightValues(model)).toEqual(before);
  }

  it('x and y sample counts differ', async () => {
    const model = compiled();
    const short = tensor(Array.from({ length: 50 }, () => [1, 0, 0]));
    await rejects(model, () => model.fit(x, short, { verbose: 0 }), /fit: x and y have different numbers of samples: x has 60 \(shape \(60,4\)\), y has 50/);
    await rejects(model, () => model.evaluate(x, short, { verbose: 0 }), /evaluate: x and y have different numbers of samples/);
  });

  it('input feature size wrong for the built model names the layer and both shapes', async () => {
    const model = compiled();
    const wide = randomNormal([60, 5]);
    await rejects(model, () => model.fit(wide, y, { verbose: 0 }), /Input to layer "hidden" \(Dense\) is incompatible: expected shape \(None, 4\), got \(60, 5\)/);
    expect(() => model.predict(wide)).toThrow(/layer "hidden".*expected shape \(None, 4\), got \(60, 5\)/);
  });

  it('sparse labels out of range', async () => {
    const model = compiled('sparse_categorical_crossentropy');
    const bad = tensor([...Array.from({ length: 59 }, () => 0), 3], [60], 'int32');
    await rejects(model, () => model.fit(x, bad, { verbose: 0 }), /fit: label 3 at index 59 is not a valid class index for sparse_categorical_crossentropy with 3 classes \(valid: integers 0 to 2\)/);
    const negative = tensor([-1, ...Array.from({ length: 59 }, () => 0)], [60], 'int32');
    await rejects(model, () => model.fit(x, negative, { verbose: 0 }), /label -1 at index 0/);
  });

  it('one-hot labels with sparse CE, and class indices with categorical CE, say which loss fits', async () => {
    const sparse = compiled('sparse_categorical_crossentropy');
    await rejects(sparse, () => sparse.fit(x, y, { verbose: 0 }), /looks one-hot.*use loss 'categorical_crossentropy'/);
    const categorical = compiled('categorical_crossentropy');
    await rejects(categorical, () => categorical.fit(x, labels, { verbose: 0 }), /integer class indices.*use loss 'sparse_categorical_crossentropy'.*toCategorical\(y, 3\)/);
    const wrongWidth = toCategorical(labels, 4);
    await rejects(categorical, () => categorical.fit(x, wrongWidth, { verbose: 0 }), /y has shape \(60,4\) but categorical_crossentropy with the model's output \(None, 3\) expects \(60, 3\)/);
  });

  it('batchSize < 1, epochs < 1, validationSplit outside [0, 1), unknown options', async () => {
    const model = compiled();
    await rejects(model, () => model.fit(x, y, { batchSize: 0, verbose: 0 }), /fit: 'batchSize' Too small: expected number to be >=1 \(got 0\)/);
    await rejects(model, () => model.fit(x, y, { epochs: 0, verbose: 0 }), /fit: 'epochs' Too small/);
    await rejects(model, () => model.fit(x, y, { batchSize: 2.5, verbose: 0 }), /'batchSize'.*\(got 2.5\)/);
    await rejects(model, () => model.fit(x, y, { validationSplit: 1, verbose: 0 }), /'validationSplit' Too big: expected number to be <1 \(got 1\)/);
    await rejects(model, () => model.fit(x, y, { validationSplit: -0.1, verbose: 0 }), /'validationSplit' Too small/);
    // @ts-expect-error: a snake_case option is not an option
    await rejects(model, () => model.fit(x, y, { batch_size: 10, verbose: 0 }), /fit: unknown option 'batch_size'/);
    await rejects(model, () => model.evaluate(x, y, { batchSize: 0 }), /evaluate: 'batchSize' Too small/);
    expect(() => model.predict(x, { batchSize: 0 })).toThrow(/predict: 'batchSize' Too small/);
  });

  it('a second fit while one runs is refused; the first finishes normally', async () => {
    const model = compiled();
    const first = model.fit(x, y, { epochs: 2, verbose: 0 });
    await expect(model.fit(x, y, { verbose: 0 })).rejects.toThrow(/fit: model "sequential\S*" is already training; await the running fit\(\) before starting another/);
    const history = await first;
    expect(history.history.loss).toHaveLength(2);
    await model.fit(x, y, { verbose: 0 }); // the lock is released afterwards
  });

  it('NaN loss stops training with an error naming the epoch, the step and its samples', async () => {
    const model = compiled();
    const poisoned = tensor(Array.from({ length: 60 }, (_, i) => (i === 30 ? [NaN, 0, 0, 0] : [0, 1, 0, 0])));
    await expect(model.fit(poisoned, y, { epochs: 3, batchSize: 10, verbose: 0, shuffle: false })).rejects.toThrow(
      /fit: the loss, a gradient or an updated weight was not finite \(NaN or Infinity\) in epoch 1, step 4\/6, the batch of samples \[30, 31, 32, 33, 34, 35, 36, 37, 38, 39\] of x; training stopped/,
    );
    await model.fit(x, y, { verbose: 0 }).catch(() => undefined); // not locked afterwards
  });

  it('compile validates identifiers and options', async () => {
    const model = compiled();
    expect(() => model.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropyy' })).toThrow(/Unknown loss "categorical_crossentropyy"; valid losses are categorical_crossentropy, sparse_categorical_crossentropy/);
    expect(() => model.compile({ optimizer: 'rmsprop', loss: 'mse', metrics: ['acuracy'] })).toThrow(/Unknown metric "acuracy"; valid metrics are/);
    expect(() => model.compile({ optimizer: 'nadamax', loss: 'mse' })).toThrow(/nadamax/);
    // @ts-expect-error: loss is required
    expect(() => model.compile({ optimizer: 'sgd' })).toThrow(/compile: 'loss'/);
    await expect(new Sequential([layers.dense({ units: 2, inputShape: [2] })]).fit(tensor([[1, 2]]), tensor([[1, 2]]))).rejects.toThrow(/must be compiled first/);
  });

  it('setWeights checks every shape first and names the layer, the expected and the actual shape', async () => {
    const model = compiled();
    const before = await weightValues(model);
    const ws = model.getWeights();
    const wrong: Tensor[] = [...ws];
    wrong[3] = tensor([1, 2]);
    wrong[0] = tensor(Array.from({ length: 4 }, () => Array.from({ length: 8 }, () => 0)));
    expect(() => model.setWeights(wrong)).toThrow(/setWeights: weight 3 \("dense\S*\/bias" of layer "dense\S*"\) expects shape \(3,\) float32, got \(2,\) float32/);
    expect(() => model.setWeights(ws.slice(1))).toThrow(/has 4 weights, got 3/);
    expect(await weightValues(model)).toEqual(before);
  });
});

/**
 * The table of docs/errors.md, one row per case: each bad input gets an error naming what is wrong, where,
 * and what is valid, and leaves the model's weights and its optimizer's state exactly as they were. The
 * model has trained one batch first, so the optimizer has state (iteration count and Adam moments) to keep.
 */
describe('docs/errors.md: every row', () => {
  const { x, labels } = separable(30);
  const y = toCategorical(labels, 3);

  async function trainedModel(): Promise<Sequential> {
    const model = compiled();
    model.compile({ optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    await model.trainOnBatch(x, y);
    return model;
  }

  /** Weights and optimizer variables (iteration, learning rate, slots), as flat arrays. */
  async function state(model: Sequential): Promise<number[][]> {
    const optimizerVars = model.optimizer.getWeights();
    const values = await Promise.all(optimizerVars.map(async (t) => Array.from(await t.data())));
    dispose(optimizerVars);
    return [...(await weightValues(model)), ...values];
  }

  const ragged = [[1, 2, 3, 4], [5, 6, 7]];
  /** Zeros of x's shape with `value` at the first feature of `row`. */
  const badRow = (row: number, value: number): Tensor => tensor(Array.from({ length: 30 }, (_, i) => [i === row ? value : 0, 0, 0, 0]));
  const unbuilt = () => new Sequential([layers.dense({ units: 2 })]);
  const pinned = (model: Sequential) => Promise.all([model.fit(x, y, { epochs: 2, verbose: 0 }), model.fit(x, y, { verbose: 0 })]);

  const cases: Array<[string, (model: Sequential) => unknown, RegExp]> = [
    ['ragged nested array', (m) => m.fit(tensor(ragged), y), /tensor: ragged nested array: element at \[1\] has length 3 but its siblings have length 4 \(inferred shape \(2,4\)\)/],
    ['a string where a number belongs', (m) => m.predict(tensor([[1, 2, '3' as never, 4]])), /tensor: element at \[0\]\[2\] is "3" \(string\); expected a number or boolean/],
    ['NaN in labels', (m) => m.fit(x, add(y, tensor([NaN, 0, 0]))), /fit: y contains NaN at flat index 0 \(shape \(30,3\)\); labels must be finite numbers/],
    ['Infinity in labels', (m) => m.evaluate(x, add(y, tensor([0, 0, Infinity]))), /evaluate: y contains Infinity at flat index 2 \(shape \(30,3\)\); labels must be finite numbers/],
    ['NaN as a sparse label', (m) => { m.compile({ optimizer: m.optimizer, loss: 'sparse_categorical_crossentropy' }); return m.fit(x, tensor([NaN, ...Array(29).fill(0)])); }, /fit: label NaN at index 0 is not a valid class index for sparse_categorical_crossentropy with 3 classes \(valid: integers 0 to 2\)/],
    ['negative shape', () => zeros([3, -1]), /fill: shape \[3, -1\] has an invalid dimension -1; dimensions must be non-negative integers/],
    ['fractional shape', () => tensor([1, 2, 3], [1.5, 2]), /tensor: shape \[1.5, 2\] has an invalid dimension 1.5; dimensions must be non-negative integers/],
    ['rank > 5', () => zeros([1, 1, 1, 1, 1, 1]), /fill: rank 6 is not supported; ranks 0 to 5 are/],
    ['dtype mismatch: matmul of int32', () => matmul(tensor([[1, 2]], [1, 2], 'int32'), zeros([2, 2])), /matmul: expected float32 operands, got int32 \(cast first\)/],
    ['dtype mismatch: where with a non-bool condition', () => where(zeros([2]), zeros([2]), zeros([2])), /where: condition must be a bool tensor, got float32/],
    ['shapes that do not broadcast', () => add(zeros([2, 3]), zeros([4])), /add: .*\(2,3\).*\(4,\)/],
    ['reshape to a different size', () => reshape(x, [7, 4]), /reshape: cannot reshape a tensor of shape \(30,4\) \(120 elements\) into \(7,4\) \(28 elements\)/],
    ['empty dataset', (m) => m.fit(zeros([0, 4]), zeros([0, 3])), /fit: x has no samples \(shape \(0,4\)\)/],
    ['labels of wrong length', (m) => m.fit(x, zeros([29, 3])), /fit: x and y have different numbers of samples: x has 30 \(shape \(30,4\)\), y has 29/],
    ['labels of the wrong width', (m) => m.fit(x, zeros([30, 4])), /fit: y has shape \(30,4\) but categorical_crossentropy with the model's output \(None, 3\) expects \(30, 3\)/],
    ['features of the wrong size', (m) => m.fit(zeros([30, 5]), y), /Input to layer "hidden" \(Dense\) is incompatible: expected shape \(None, 4\), got \(30, 5\)/],
    ['x not a tensor', (m) => m.fit([[1, 2, 3, 4]] as never, y), /fit: x must be a Tensor, got object/],
    ['unknown activation', () => layers.dense({ units: 2, activation: 'relux' as never }), /Unknown activation "relux"; valid activations are relu, softmax, sigmoid, tanh, linear/],
    ['unknown loss', (m) => m.compile({ loss: 'crossentropy' }), /Unknown loss "crossentropy"; valid losses are .*categorical_crossentropy/],
    ['unknown optimizer', (m) => m.compile({ optimizer: 'nadamax' as never, loss: 'mse' }), /Unknown optimizer "nadamax"; valid optimizers are sgd, rmsprop, adam, adamw, adagrad, nadam, adamax, adadelta, lion, ftrl/],
    ['unknown metric', (m) => m.compile({ loss: 'mse', metrics: ['acuracy'] }), /Unknown metric "acuracy"; valid metrics are .*accuracy/],
    ['unknown fit option', (m) => m.fit(x, y, { epoch: 3 } as never), /fit: unknown option 'epoch'/],
    ['batchSize 0', (m) => m.fit(x, y, { batchSize: 0 }), /fit: 'batchSize' Too small: expected number to be >=1 \(got 0\)/],
    ['model used before build', () => unbuilt().setWeights([zeros([2, 2])]), /setWeights: model "sequential\S*" is not built yet, so it has no weights to set; build it first/],
    ['model used before compile', () => unbuilt().fit(x, y), /fit: model "sequential\S*" must be compiled first: call model.compile\(\{optimizer, loss, metrics\}\)/],
    ['fit while another fit runs', (m) => pinned(m), /fit: model "sequential\S*" is already training; await the running fit\(\) before starting another/],
    ['a disposed tensor', (m) => { const gone = zeros([30, 4]); gone.dispose(); return m.fit(gone, y); }, /Tensor \d+ \(shape \[30, 4\], float32\): cannot use as x in fit a disposed tensor/],
    ['misspelled layer option', () => layers.dense({ unit: 3 } as never), /^Dense: unknown option 'unit' — did you mean 'units'\?/],
    ['misspelled fit option', (m) => m.fit(x, y, { batch_size: 8 } as never), /^fit: unknown option 'batch_size' — did you mean 'batchSize'\?/],
    ['misspelled compile option', (m) => m.compile({ loss: 'mse', metric: ['accuracy'] } as never), /^compile: unknown option 'metric' — did you mean 'metrics'\?/],
    ['misspelled optimizer option', () => new Adam({ learningrate: 0.1 } as never), /^Adam: unknown option 'learningrate' — did you mean 'learningRate'\?/],
    ['misspelled recurrent option', () => layers.lstm({ units: 4, returnSequence: true } as never), /^LSTM: unknown option 'returnSequence' — did you mean 'returnSequences'\?/],
    ['an option of another recurrent kind', () => layers.lstm({ units: 4, resetAfter: false } as never), /^LSTM: unknown option 'resetAfter'/],
    ['misspelled Embedding option', () => layers.embedding({ inputDim: 10, outputDim: 4, maskzero: true } as never), /^Embedding: unknown option 'maskzero' — did you mean 'maskZero'\?/],
    ['an option nothing is close to', () => layers.dropout({ rate: 0.1, zzz: 1 } as never), /^Dropout: unknown option 'zzz' \(valid: rate, seed, name, trainable, inputShape\)/],
    ['matmul batch axes that differ', () => matmul(zeros([2, 2, 3]), zeros([3, 3, 2])), /^matmul: shapes \(2,2,3\) and \(3,3,2\) have different batch axes \(2,\) and \(3,\); they must be equal, or one side must have none/],
    ['max over an empty axis', () => max(zeros([2, 0]), 1), /^max: zero-size reduction over axis 1 of shape \(2,0\), which has no identity/],
    ['BigInt in tensor()', (m) => m.predict(tensor([[1n, 2, 3, 4]] as never)), /^tensor: element at \[0\]\[0\] is 1n \(bigint\); expected a number or boolean \(BigInt is not supported: convert with Number\(x\)\)/],
    ['two layers with one name', () => new Sequential([layers.dense({ units: 2, name: 'twice', inputShape: [4] }), layers.dense({ units: 2, name: 'twice' })]), /two different layers are named "twice" \(Dense and Dense\); layer names must be unique within a model/],
    ['compile during fit', (m) => m.fit(x, y, { verbose: 0, callbacks: [{ onBatchEnd: () => m.compile({ loss: 'mse' }) }] }), /^compile: model "sequential\S*" is training; wait for fit\(\) to finish/],
    ['getWeights after dispose', () => { const gone = unbuilt(); gone.dispose(); return gone.getWeights(); }, /^getWeights: model "sequential\S*" was disposed \(its weights and optimizer state are released\); build or load a new model/],
    ['NaN in x, fit with checkFinite', (m) => m.fit(add(x, badRow(3, NaN)), y, { checkFinite: true }), /^fit: x contains NaN at row 3 \(flat index 12, shape \(30,4\)\); inputs must be finite numbers/],
    ['Infinity in x, evaluate with checkFinite', (m) => m.evaluate(add(x, badRow(7, Infinity)), y, { checkFinite: true }), /^evaluate: x contains Infinity at row 7 \(flat index 28, shape \(30,4\)\)/],
    ['NaN in x before predict: assertFinite', () => assertFinite(add(x, badRow(0, NaN)), 'x', 'predict'), /^predict: x contains NaN at row 0 \(flat index 0, shape \(30,4\)\)/],
    ['save into a missing directory', (m) => m.save('/no/such/dir/m.keras'), /^save: cannot write "\/no\/such\/dir\/m\.keras": the directory "\/no\/such\/dir" does not exist/],
    ['unknown learning-rate schedule', () => optimizers.schedules.deserialize({ class_name: 'StepDecay' }), /^Unknown learning rate schedule "StepDecay"; valid schedules are ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, CosineDecay, CosineDecayRestarts/],
    ['a schedule option out of range', () => new optimizers.schedules.CosineDecay({ initialLearningRate: 0.1, decaySteps: 0 }), /^CosineDecay: 'decaySteps' Too small: expected number to be >0 \(got 0\)/],
    ['PiecewiseConstantDecay with one value too few', () => new optimizers.schedules.PiecewiseConstantDecay({ boundaries: [5, 10], values: [0.1, 0.01] }), /^PiecewiseConstantDecay: 'values' must have one entry more than 'boundaries'; got 2 boundaries and 2 values/],
    ['setting a scheduled learning rate', () => { new optimizers.SGD({ learningRate: new optimizers.schedules.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 10, decayRate: 0.9 }) }).learningRate = 0.01; }, /^SGD: the learning rate is a ExponentialDecay schedule, so it cannot be set; create the optimizer with a number as learningRate to set it/],
    ['a learning rate of the wrong type', () => new optimizers.Nadam({ learningRate: '0.1' as never }), /^Nadam: 'learningRate' expected a number >= 0, a LearningRateSchedule or a function \(step\) => number \(got "0.1"\)/],
    ['saving a function learning rate', () => new optimizers.Lion({ learningRate: (step) => 1e-3 / (step + 1) }).getConfig(), /^Lion: a function learning rate cannot be saved in a config; use a LearningRateSchedule/],
    ['unknown loss reduction', () => new losses.Huber({ reduction: 'avg' as never }), /^Huber: 'reduction' Invalid option: expected one of "sum_over_batch_size"\|"sum"\|"mean"\|"mean_with_sample_weight"\|"none" \(got "avg"\)/],
    ["fit with reduction 'none'", (m) => { m.compile({ optimizer: m.optimizer, loss: new losses.CategoricalCrossentropy({ reduction: 'none' }) }); return m.fit(x, y, { verbose: 0 }); }, /^CategoricalCrossentropy: reduction 'none' gives one loss per sample, but fit and evaluate need one number per batch; use 'sum_over_batch_size' \(the default\), 'mean' or 'sum'/],
    ['unknown loss class in a saved config', () => losses.deserialize({ class_name: 'Dice' }), /^Unknown loss class "Dice"; valid loss classes are CategoricalCrossentropy, /],
    ['a learning-rate scheduler that returns NaN', (m) => m.fit(x, y, { verbose: 0, callbacks: [new LearningRateScheduler(() => Number.NaN)] }), /^LearningRateScheduler: the schedule returned NaN for epoch 0; it must return a finite number/],
    ['BackupAndRestore with an unsupported saveFreq', () => new BackupAndRestore('/tmp/backup', { saveFreq: 100 as never }), /^BackupAndRestore: 'saveFreq' expected 'epoch' or false \(got 100\)/],
    ['an unknown metric', (m) => m.compile({ optimizer: m.optimizer, loss: 'categorical_crossentropy', metrics: ['f1'] }), /^Unknown metric "f1"; valid metrics are accuracy, acc, categorical_accuracy, .*precision, recall, auc, f1_score/],
    ['an AUC curve that does not exist', () => new metrics.AUC({ curve: 'roc' as never }), /^AUC: curve must be one of 'ROC', 'PR', got "roc"/],
    ['an F1Score average that does not exist', () => new metrics.F1Score({ average: 'mean' as never }), /^F1Score: average must be one of 'micro', 'macro', 'weighted', got "mean"/],
    ['a metric with one value per class in compile', (m) => m.compile({ optimizer: m.optimizer, loss: 'categorical_crossentropy', metrics: [new metrics.F1Score()] }), /^compile: metric "f1_score" \(F1Score\) gives one value per class or threshold, but fit and evaluate log one number per metric; give F1Score\/FBetaScore an average/],
    ['the same metric object twice', (m) => { const auc = new metrics.AUC(); return m.compile({ optimizer: m.optimizer, loss: 'categorical_crossentropy', metrics: [auc], weightedMetrics: [auc] }); }, /^compile: the metric object "auc" is given twice; a Metric holds state, so give each place its own instance/],
    ['sampleWeight and classWeight together', (m) => m.fit(x, y, { verbose: 0, sampleWeight: ones([30]), classWeight: { 0: 2 } }), /^fit: give sampleWeight or classWeight, not both/],
    ['sampleWeight with the wrong number of rows', (m) => m.fit(x, y, { verbose: 0, sampleWeight: ones([29]) }), /^fit: sampleWeight has shape \(29,\) but x has 30 samples; give one weight per sample \(shape \(30,\)\)/],
    ['a classWeight key that is not a class index', (m) => m.fit(x, y, { verbose: 0, classWeight: { cat: 2 } as never }), /^fit: classWeight key "cat" is not a class index \(valid: non-negative integers\)/],
    ['a generator of unknown length without stepsPerEpoch', (m) => m.fit((async function* batches() { yield [x, y]; })(), { verbose: 0 }), /^fit: a generator or iterable of unknown length needs stepsPerEpoch/],
    ['a stream item that is not [x, y]', (m) => m.fit((async function* batches() { yield x; })(), { verbose: 0, stepsPerEpoch: 1 }), /^fit \(batch 1 of the stream\): expected \[x, y\] or \[x, y, sampleWeight\], got object/],
  ];

  it.each(cases)('%s', async (_name, run, message) => {
    const model = await trainedModel();
    const before = await state(model);
    await expect((async () => run(model))()).rejects.toThrow(message);
    if (_name === 'fit while another fit runs' || _name === 'compile during fit') return; // the first fit runs to its end and trains, by design
    expect(await state(model)).toEqual(before);
  });

  it('by default NaN inputs give NaN results, as in Keras (checkFinite is opt-in)', async () => {
    const model = await trainedModel();
    const [loss] = await model.evaluate(add(x, badRow(2, NaN)), y, { verbose: 0 });
    expect(loss).toBeNaN();
    const out = await model.predict(add(x, badRow(2, NaN))).data();
    expect(Number.isNaN(out[2 * 3])).toBe(true);
    expect(Number.isNaN(out[0])).toBe(false);
  });

  it('batchSize larger than the dataset works: one batch per epoch', async () => {
    const model = await trainedModel();
    const history = await model.fit(x, y, { batchSize: 1000, epochs: 2, verbose: 0 });
    expect(history.params.steps).toBe(1);
    expect(history.history.loss).toHaveLength(2);
  });
});

describe.each(['cpu', 'webgpu'] as const)('the finite-input check on %s', (backend) => {
  it('finds NaN and Infinity with one device reduction and names the first bad row', async () => {
    await setBackend(backend);
    try {
      const clean = randomNormal([50, 6], 0, 1, { seed: 2 });
      await expect(assertFinite(clean)).resolves.toBeUndefined();
      const values = new Float32Array(300);
      values[6 * 41 + 2] = -Infinity;
      values[6 * 44] = NaN;
      await expect(assertFinite(tensor(values, [50, 6]), 'x.image', 'fit')).rejects.toThrow('fit: x.image contains -Infinity at row 41 (flat index 248, shape (50,6)); inputs must be finite numbers');
    } finally {
      await setBackend('cpu');
    }
  });
});
