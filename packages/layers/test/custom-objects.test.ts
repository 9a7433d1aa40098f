import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Dense, Layer, LearningRateSchedule, Metric, Model, add, div, input, loadModel, losses, mean, metrics, mul, optimizers, registerSerializable, scalar, setBackend, square, sub, sum, tensor,
  type CallOptions, type LayerShape, type Tensor,
} from '../src/index.ts';
import { relDiff, values } from './helpers.ts';
import { kerasScript } from './keras-python.ts';

/**
 * Custom objects: a Layer and a Metric subclass name themselves from their class, and with
 * registerSerializable a model holding them saves and loads again in Strata and in Python Keras 3
 * (scripts/keras_custom_objects.py registers the same classes with keras.saving.register_keras_serializable).
 */

/** No className given anywhere: the class's own name is used. */
class Doubler extends Layer {
  call(inputs: Tensor, _options: CallOptions): Tensor {
    return mul(inputs, 2);
  }
  override computeOutputShape(shape: LayerShape): LayerShape {
    return shape;
  }
}

/** Twice the mean squared error; its class name is its own (no className declared). */
class ScaledMSE extends losses.LossFunctionWrapper {
  readonly labels = 'dense' as const;
  constructor(options: losses.LossBaseOptions = {}) {
    super({ name: options.name ?? 'scaled_mse', reduction: options.reduction ?? 'sum_over_batch_size' });
  }
  perSample(yTrue: Tensor, yPred: Tensor): Tensor {
    return mul(mean(square(sub(yTrue, yPred)), -1), 2);
  }
}

/** The learning rate halved every `every` steps. */
class HalvingSchedule extends LearningRateSchedule {
  constructor(private readonly args: { initialLearningRate: number; every: number }) {
    super();
  }
  call(step: number): number {
    return this.args.initialLearningRate * 0.5 ** Math.floor(step / this.args.every);
  }
  getConfig(): { initial_learning_rate: number; every: number } {
    return { initial_learning_rate: this.args.initialLearningRate, every: this.args.every };
  }
}

/** The mean of every prediction seen. */
class MeanPrediction extends Metric {
  private readonly total = this.addVariable([]);
  private readonly count = this.addVariable([]);
  constructor(args: { name?: string } = {}) {
    super(args.name ?? 'mean_prediction');
  }
  updateState(_yTrue: Tensor, yPred: Tensor): void {
    this.total.assign(add(this.total, sum(yPred)));
    this.count.assign(add(this.count, scalar(yPred.size)));
  }
  result(): Tensor {
    return div(this.total, this.count);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'strata-custom-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const xValues = Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7));
const yValues = Array.from({ length: 8 }, (_, i) => (i * 5) % 3 === 0 ? 1 : 0);

interface Report {
  predictions: number[];
  evaluate: Record<string, number>;
}

describe('custom objects', () => {
  it('a Layer or Metric subclass without a class name takes its own', () => {
    const layer = new Doubler();
    expect(layer.className).toBe('Doubler');
    expect(layer.name).toMatch(/^doubler(_\d+)?$/);
    const metric = new MeanPrediction();
    expect(metric.className).toBe('MeanPrediction');
    expect(new (class CountOfThings extends MeanPrediction {})().className).toBe('CountOfThings');
    metric.dispose();
    expect(new ScaledMSE().className).toBe('ScaledMSE');
    expect(new HalvingSchedule({ initialLearningRate: 1, every: 2 }).className).toBe('HalvingSchedule');
  });

  it('a registered custom layer, metric, loss and schedule save and load in Strata and both ways with Python Keras', async () => {
    await setBackend('cpu');
    for (const cls of [Doubler, MeanPrediction, ScaledMSE, HalvingSchedule]) registerSerializable(cls as never);
    const x = tensor(xValues, [8, 3]);
    const y = tensor(yValues, [8, 1]);
    const i = input({ shape: [3], name: 'x' });
    const model = new Model({ inputs: i, outputs: new Dense({ units: 1, activation: 'sigmoid', name: 'probs' }).apply(new Doubler({ name: 'doubler' }).apply(i)), name: 'strata_custom' });
    const optimizer = new optimizers.Adam({ learningRate: new HalvingSchedule({ initialLearningRate: 0.1, every: 10 }) });
    model.compile({ optimizer, loss: new ScaledMSE(), metrics: [new MeanPrediction(), new metrics.AUC({ numThresholds: 50, name: 'auc_50' })] });
    const ours = (await model.evaluate(x, y, { batchSize: 4, verbose: 0, returnDict: true })) as Record<string, number>;
    const strataPath = join(dir, 'strata-custom.keras');
    await model.save(strataPath);

    const reloaded = await loadModel(strataPath);
    expect(reloaded.getLayer('doubler')).toBeInstanceOf(Doubler);
    expect(reloaded.optimizer.getConfig().learning_rate).toEqual({ module: 'keras.optimizers.schedules', class_name: 'HalvingSchedule', config: { initial_learning_rate: 0.1, every: 10 }, registered_name: 'Custom>HalvingSchedule' });
    expect(await reloaded.evaluate(x, y, { batchSize: 4, verbose: 0, returnDict: true })).toEqual(ours);

    const kerasPath = join(dir, 'keras-custom.keras');
    const report = await kerasScript<{ strata: Report; keras: Report; layerClasses: string[]; lossClass: string; scheduleClass: string; learningRateAt25: number }>('keras_custom_objects.py', { strataPath, kerasPath, x: xValues, shape: [8, 3], y: yValues, yShape: [8, 1] });
    expect(report.layerClasses).toEqual(['InputLayer', 'Doubler', 'Dense']);
    expect([report.lossClass, report.scheduleClass]).toEqual(['ScaledMSE', 'HalvingSchedule']);
    expect(report.learningRateAt25).toBeCloseTo(0.025, 7);
    expect(relDiff(report.strata.predictions, await values(model.predict(x)))).toBeLessThan(1e-6);
    expect(Object.keys(report.strata.evaluate).sort()).toEqual(Object.keys(ours).sort());
    for (const [k, v] of Object.entries(ours)) expect(relDiff([report.strata.evaluate[k]], [v]), k).toBeLessThan(1e-5);

    const fromKeras = await loadModel(kerasPath);
    expect(fromKeras.getLayer('doubler')).toBeInstanceOf(Doubler);
    expect(fromKeras.metricsNames).toEqual(['loss', 'mean_prediction', 'precision_at_03', 'acc_04']);
    expect(relDiff(await values(fromKeras.predict(x)), report.keras.predictions)).toBeLessThan(1e-6);
    const theirs = (await fromKeras.evaluate(x, y, { batchSize: 4, verbose: 0, returnDict: true })) as Record<string, number>;
    for (const [k, v] of Object.entries(report.keras.evaluate)) expect(relDiff([theirs[k]], [v]), k).toBeLessThan(1e-5);
    [x, y].forEach((t) => t.dispose());
  });

  it('an unregistered metric class in a saved compile_config is named, with the built-in ones', async () => {
    class Unregistered extends MeanPrediction {}
    const i = input({ shape: [3] });
    const model = new Model({ inputs: i, outputs: new Dense({ units: 1 }).apply(i) });
    model.compile({ loss: 'mse', metrics: [new Unregistered()] });
    const path = join(dir, 'unregistered.keras');
    await model.save(path);
    await expect(loadModel(path)).rejects.toThrow(/unknown metric class "Unregistered"; built-in metrics are Precision, Recall, AUC, .*registered with registerSerializable/);
  });
});
