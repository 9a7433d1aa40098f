import { formatShape, reshape, slice, concat, tidy, dispose, type Tensor, type Variable } from '@strata/core';
import { z } from 'zod';
import type { History } from '../callbacks/history.ts';
import type { Logs } from '../callbacks/callback.ts';
import { InputLayer } from '../layers/input.ts';
import { compileToKeras, loadWeights, modelToJSON, saveModel, saveWeights, type KerasCompileConfig, type SaveSource } from '../io/index.ts';
import { Layer, formatLayerShape, uniqueName, type LayerShape } from '../layers/layer.ts';
import { getLoss, type Loss, type LossIdentifier } from '../losses.ts';
import { getMetric, type Metric, type MetricIdentifier } from '../metrics.ts';
import { get as getOptimizer, type Optimizer } from '../optimizers/index.ts';
import { batchRanges, checkInputs, checkLabels, assertTensor } from '../training/data.ts';
import { evaluateModel, type EvaluateOptions } from '../training/evaluate.ts';
import { fitModel, type FitOptions } from '../training/fit.ts';
import { parseOptions, positiveInt } from '../training/options.ts';
import { RunningMeans } from '../training/running-means.ts';
import { metricNames, testStep, trainStep, type Compiled } from '../training/step.ts';
import { summaryLines } from './summary.ts';

export type OptimizerIdentifier = Parameters<typeof getOptimizer>[0];

export interface CompileArgs {
  /** Default `'rmsprop'`, as in Keras. */
  optimizer?: OptimizerIdentifier;
  loss: LossIdentifier;
  metrics?: MetricIdentifier[];
}

const isObject = (v: unknown): v is object => typeof v === 'object' && v !== null;

const CompileSchema = z.strictObject({
  optimizer: z
    .union([z.string(), z.custom<Optimizer>((v) => isObject(v) && 'applyGradients' in v, 'expected an optimizer'), z.object({ className: z.string(), config: z.record(z.string(), z.unknown()).optional() })])
    .default('rmsprop'),
  loss: z.union([z.string(), z.custom<Loss>((v) => isObject(v) && 'perSample' in v && 'name' in v, 'expected a loss')]),
  metrics: z.array(z.union([z.string(), z.custom<Metric>((v) => isObject(v) && 'perSample' in v && 'name' in v, 'expected a metric')])).default([]),
});

const PredictOptions = z.strictObject({ batchSize: positiveInt.default(32), verbose: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional() });

/**
 * A linear stack of layers (Keras's `Sequential`). The model builds as soon as the input shape is known:
 * from `inputShape` on the first layer, an `Input` layer, or the first data it sees.
 */
export class Sequential {
  readonly name: string;
  /** Set to true (e.g. from a callback) to end `fit` after the current batch. */
  stopTraining = false;
  /** The `History` of the last `fit`. */
  history?: History;
  private readonly stack: Layer[] = [];
  private declaredInput?: readonly number[];
  private compiledState?: Compiled;
  private fitting = false;

  constructor(layers: Layer[] = [], args: { name?: string } = {}) {
    this.name = args.name ?? uniqueName('sequential');
    for (const layer of layers) this.add(layer);
  }

  add(layer: Layer): void {
    if (!(layer instanceof Layer)) throw new Error(`Sequential.add: expected a Layer, got ${layer === null ? 'null' : typeof layer}`);
    if (this.stack.includes(layer)) throw new Error(`Sequential.add: layer "${layer.name}" is already in the model`);
    if (layer instanceof InputLayer) {
      if (this.stack.length || this.declaredInput) throw new Error('Sequential.add: an Input layer must come first');
      this.declaredInput = layer.inputShape;
      return;
    }
    if (!this.stack.length && layer.inputShape && !this.declaredInput) this.declaredInput = layer.inputShape;
    this.stack.push(layer);
    if (this.declaredInput) this.build([null, ...this.declaredInput]);
  }

  /** The layers (an `Input` is not listed, as in Keras 3). */
  get layers(): Layer[] {
    return [...this.stack];
  }

  get built(): boolean {
    return this.stack.length > 0 && this.stack.every((l) => l.built);
  }

  /** Build the layers not built yet, for inputs of `inputShape` (batch axis first). */
  build(inputShape: LayerShape): void {
    if (!this.stack.length) throw new Error(`Sequential "${this.name}" has no layers`);
    let shape = inputShape;
    for (const layer of this.stack) {
      if (!layer.built) layer.build(shape);
      shape = layer.computeOutputShape(shape);
    }
  }

  /** The input shape with the batch axis (`null`), when known. */
  get inputShape(): LayerShape | undefined {
    return this.declaredInput ? [null, ...this.declaredInput] : undefined;
  }

  /** Throws, naming the first layer and both shapes, when inputs of `shape` do not fit the model. */
  assertInputShape(shape: readonly number[]): void {
    const first = this.stack[0];
    if (!first) throw new Error(`Sequential "${this.name}" has no layers`);
    const declared = this.inputShape;
    if (first.built) first.assertInputShape(shape);
    else if (declared && (declared.length !== shape.length || declared.some((d, i) => d !== null && d !== shape[i]))) {
      throw new Error(`Input to layer "${first.name}" (${first.className}) is incompatible: expected shape ${formatLayerShape(declared)}, got ${formatLayerShape(shape)}`);
    }
  }

  /** The output shape for inputs of `shape`, without building. */
  outputShapeFor(shape: readonly number[]): LayerShape {
    return this.stack.reduce<LayerShape>((s, layer) => layer.computeOutputShape(s), [null, ...shape.slice(1)]);
  }

  /** Forward pass (`training` enables dropout). Builds on first use. */
  call(x: Tensor, options: { training?: boolean } = {}): Tensor {
    this.assertInputShape(x.shape);
    this.build([null, ...x.shape.slice(1)]);
    return this.stack.reduce((h, layer) => layer.apply(h, options), x);
  }

  get weights(): Variable[] {
    return this.stack.flatMap((l) => l.weights);
  }
  get trainableWeights(): Variable[] {
    return this.stack.flatMap((l) => l.trainableWeights);
  }
  get nonTrainableWeights(): Variable[] {
    return this.stack.flatMap((l) => l.nonTrainableWeights);
  }

  countParams(): number {
    return this.stack.reduce((n, l) => n + l.countParams(), 0);
  }

  /** Release the weights and the optimizer's state (as tfjs's `model.dispose()`); the model is unusable after. */
  dispose(): void {
    if (this.fitting) throw new Error(`dispose: model "${this.name}" is training; wait for fit() to finish`);
    dispose(this.weights);
    this.compiledState?.optimizer.dispose();
  }

  /** The weights' current values, layer by layer (kernel, bias, …). Snapshots: later training does not change them. */
  getWeights(): Tensor[] {
    return this.weights.map((v) => reshape(v, v.shape));
  }

  /** Replace every weight; all shapes are checked before any is assigned. */
  setWeights(weights: readonly Tensor[]): void {
    const vars = this.weights;
    if (!this.built) throw new Error(`setWeights: model "${this.name}" is not built yet, so it has no weights to set; build it first (give the first layer an inputShape, call build([null, ...featureShape]), or run it on data)`);
    if (!Array.isArray(weights) || weights.length !== vars.length) {
      throw new Error(`setWeights: model "${this.name}" has ${vars.length} weights, got ${Array.isArray(weights) ? weights.length : typeof weights}`);
    }
    vars.forEach((v, i) => {
      const w = weights[i];
      assertTensor(w, `weight ${i}`, 'setWeights');
      const layer = this.stack.find((l) => l.weights.includes(v));
      if (w.dtype !== v.dtype || w.rank !== v.rank || w.shape.some((d, j) => d !== v.shape[j])) {
        throw new Error(`setWeights: weight ${i} ("${v.name}" of layer "${layer?.name}") expects shape ${formatShape(v.shape)} ${v.dtype}, got ${formatShape(w.shape)} ${w.dtype}`);
      }
    });
    vars.forEach((v, i) => v.assign(weights[i]));
  }

  /** Print Keras 3's summary table (one `printFn` call per line; default console.log). */
  summary(printFn: (line: string) => void = console.log): void {
    let shape = this.inputShape;
    const rows = this.stack.map((layer) => {
      shape = shape && layer.computeOutputShape(shape);
      return { layer, outputShape: shape };
    });
    const trainable = this.trainableWeights.reduce((n, v) => n + v.size, 0);
    const nonTrainable = this.nonTrainableWeights.reduce((n, v) => n + v.size, 0);
    for (const line of summaryLines(this.name, rows, trainable, nonTrainable)) printFn(line);
  }

  compile(args: CompileArgs): void {
    if (this.fitting) throw new Error(`compile: model "${this.name}" is training; wait for fit() to finish`);
    const parsed = parseOptions(CompileSchema, args, 'compile');
    const loss = getLoss(parsed.loss);
    const metrics = parsed.metrics.map((m) => getMetric(m, loss));
    const names = metrics.map((m) => m.name);
    const duplicate = names.find((name, i) => name === 'loss' || names.indexOf(name) !== i);
    if (duplicate) throw new Error(`compile: metric name "${duplicate}" is used twice (the loss is reported as "loss")`);
    this.compiledState = { optimizer: getOptimizer(parsed.optimizer), loss, metrics };
  }

  get optimizer(): Optimizer {
    return this.compiled('optimizer').optimizer;
  }

  /** `['loss', ...metric names]`: the order of `evaluate`'s result. */
  get metricsNames(): string[] {
    return this.compiledState ? metricNames(this.compiledState) : [];
  }

  private compiled(what: string): Compiled {
    if (!this.compiledState) throw new Error(`${what}: model "${this.name}" must be compiled first: call model.compile({optimizer, loss, metrics})`);
    return this.compiledState;
  }

  /** Train (Keras's `fit`); see training/fit.ts. One `fit` at a time per model. */
  async fit(x: Tensor, y: Tensor, options: FitOptions = {}): Promise<History> {
    const compiled = this.compiled('fit');
    if (this.fitting) throw new Error(`fit: model "${this.name}" is already training; await the running fit() before starting another`);
    this.fitting = true;
    try {
      this.history = await fitModel(this, compiled, x, y, options);
      return this.history;
    } finally {
      this.fitting = false;
    }
  }

  /** Loss and metrics over (x, y): `[loss, ...metrics]`, or named with `returnDict: true`. */
  evaluate(x: Tensor, y: Tensor, options: EvaluateOptions & { returnDict: true }): Promise<Logs>;
  evaluate(x: Tensor, y: Tensor, options?: EvaluateOptions & { returnDict?: false }): Promise<number[]>;
  evaluate(x: Tensor, y: Tensor, options: EvaluateOptions = {}): Promise<number[] | Logs> {
    return evaluateModel(this, this.compiled('evaluate'), x, y, options);
  }

  /** Outputs for x in batches (inference mode). Synchronous: the result stays on the device. */
  predict(x: Tensor, options: { batchSize?: number; verbose?: 0 | 1 | 2 } = {}): Tensor {
    const { batchSize } = parseOptions(PredictOptions, options, 'predict');
    assertTensor(x, 'x', 'predict');
    this.assertInputShape(x.shape);
    const batches = batchRanges(x.shape[0], batchSize);
    if (batches.length <= 1) return this.predictOnBatch(x);
    const parts = batches.map(([start, stop]) => tidy(() => this.call(slice(x, [{ start, stop }]))));
    const out = concat(parts, 0);
    dispose(parts);
    return out;
  }

  predictOnBatch(x: Tensor): Tensor {
    assertTensor(x, 'x', 'predictOnBatch');
    return tidy(() => this.call(x));
  }

  /** One optimizer step on (x, y); resolves to `[loss, ...metrics]` for this batch (a read-back). */
  async trainOnBatch(x: Tensor, y: Tensor): Promise<number[]> {
    const compiled = this.compiled('trainOnBatch');
    if (this.fitting) throw new Error(`trainOnBatch: model "${this.name}" is training in fit()`);
    return this.runBatch(compiled, x, y, 'trainOnBatch', () => tidy(() => trainStep(this, compiled, x, y)));
  }

  /** `[loss, ...metrics]` for (x, y) in inference mode. */
  async testOnBatch(x: Tensor, y: Tensor): Promise<number[]> {
    const compiled = this.compiled('testOnBatch');
    return this.runBatch(compiled, x, y, 'testOnBatch', () => tidy(() => testStep(this, compiled, x, y)));
  }

  private async runBatch(compiled: Compiled, x: Tensor, y: Tensor, where: string, step: () => Tensor[]): Promise<number[]> {
    checkInputs(this, x, y, where);
    await checkLabels(this, compiled.loss, x, y, where);
    this.build([null, ...x.shape.slice(1)]);
    const names = metricNames(compiled);
    const means = new RunningMeans(names);
    try {
      tidy(() => means.update(step(), x.shape[0]));
      const logs = await means.read();
      return names.map((n) => logs[n]);
    } finally {
      means.dispose();
    }
  }

  // Save and load in the Keras 3 `.keras` format (io/); `loadModel` is a top-level function.

  /** Keras's `get_compile_config()`: optimizer, loss and metrics as saved in `config.json` (undefined when not compiled). */
  getCompileConfig(): KerasCompileConfig | undefined {
    return this.compiledState && compileToKeras(this.compiledState);
  }

  /** Write a `.keras` file (atomically) to a path, or to `indexeddb://<key>` in a browser. */
  save(path: string): Promise<void> {
    return saveModel(this, path);
  }

  /** Write the weights (and optimizer state) alone, as Keras's `.weights.h5`. */
  saveWeights(path: string): Promise<void> {
    return saveWeights(this, path);
  }

  /** Read weights saved by `saveWeights` (or Keras); every shape is checked before anything changes. */
  loadWeights(source: SaveSource): Promise<void> {
    return loadWeights(this, source);
  }

  /** Keras's `to_json()`: the model's `config.json` text. */
  toJSON(): string {
    return modelToJSON(this);
  }

  getConfig(): { name: string; layers: Array<{ className: string; config: Record<string, unknown> }> } {
    return { name: this.name, layers: this.stack.map((l) => ({ className: l.className, config: l.getConfig() })) };
  }
}
