import { concat, dispose, formatShape, reshape, tidy, type Tensor, type Variable } from '@strata/core';
import { z } from 'zod';
import type { History } from '../callbacks/history.ts';
import type { Logs } from '../callbacks/callback.ts';
import { runGraph, type GraphRun } from '../graph/executor.ts';
import { buildGraph, type Graph } from '../graph/graph.ts';
import type { StructureForm, SymbolicStructure, TrainableModel } from '../graph/model-api.ts';
import { compileToKeras, loadWeights, modelToJSON, saveModel, saveWeights, type KerasCompileConfig, type SaveSource } from '../io/index.ts';
import { Layer, formatLayerShape, type CallOptions, type LayerConfig, type LayerInputs, type LayerShape, type LayerShapes } from '../layers/layer.ts';
import { isSymbolic, type SymbolicTensor } from '../layers/symbolic.ts';
import type { Optimizer } from '../optimizers/index.ts';
import { compiledMetrics, metricNames, resolveCompile, type CompileArgs, type Compiled } from '../training/compile.ts';
import { assertTensor, batchRanges, checkInputs, checkLabels, rows, toTensorList, type ModelData } from '../training/data.ts';
import { isBatchStream, type BatchStream } from '../training/batch-stream.ts';
import { evaluateModel, type EvaluateOptions } from '../training/evaluate.ts';
import { fitModel, type FitOptions } from '../training/fit.ts';
import { parseOptions, positiveInt } from '../training/options.ts';
import { predictStream } from '../training/predict-stream.ts';
import { RunningMeans } from '../training/running-means.ts';
import { testStep, trainStep } from '../training/step.ts';
import { functionalSummary } from './summary.ts';


/** What `predict` returns for a model whose outputs were given as `S`: the same structure, with tensors. */
export type ModelOutput<S extends SymbolicStructure> = S extends SymbolicTensor ? Tensor : S extends readonly SymbolicTensor[] ? Tensor[] : Record<string, Tensor>;

export interface ModelArgs<S extends SymbolicStructure> {
  inputs: SymbolicStructure;
  outputs: S;
  name?: string;
  trainable?: boolean;
}

type Form = StructureForm;

/** A structure as a list, its form, and the names of its entries (record keys, else the producing layers' names). */
function flatten(structure: unknown, what: 'inputs' | 'outputs', where: string): { list: SymbolicTensor[]; form: Form; names: string[] } {
  if (isSymbolic(structure)) return { list: [structure], form: 'one', names: [structure.node.layer.name] };
  if (Array.isArray(structure)) return { list: structure as SymbolicTensor[], form: 'list', names: structure.map((t: unknown) => (isSymbolic(t) ? t.node.layer.name : '?')) };
  if (typeof structure === 'object' && structure !== null) {
    const entries = Object.entries(structure as Record<string, SymbolicTensor>);
    return { list: entries.map(([, t]) => t), form: 'record', names: entries.map(([k]) => k) };
  }
  throw new Error(`${where}: ${what} must be a symbolic tensor (from input() or layer.apply), a list of them or a record of them, got ${structure === null ? 'null' : typeof structure}`);
}

const PredictOptions = z.strictObject({ batchSize: positiveInt.default(32), verbose: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional() });
const PredictStreamOptions = z.strictObject({ steps: positiveInt.optional(), verbose: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional() });

/**
 * A model as a graph of layers (Keras's functional `Model`): from `input()` tensors to the outputs that
 * layers applied to them produce. Training, evaluation, summary and saving are written against the graph;
 * `Sequential` is the special case of a chain. A model is also a layer: apply it inside another model.
 */
export class Model<S extends SymbolicStructure = SymbolicStructure> extends Layer implements TrainableModel {
  override readonly className: string = 'Functional';
  /** Set to true (e.g. from a callback) to end `fit` after the current batch. */
  stopTraining = false;
  /** The `History` of the last `fit`. */
  history?: History;
  private graphState?: Graph;
  private inputForm: Form = 'one';
  private outputForm: Form = 'one';
  private names = { inputs: [] as string[], outputs: [] as string[] };
  private compiledState?: Compiled;
  /** The long call in progress (`fit` or `evaluate`): state changes that would tear it are refused. */
  private running?: 'fit' | 'evaluate';
  private disposed = false;

  /** `new Model({inputs, outputs, name})`. Subclasses that build their graph later (Sequential) pass neither. */
  constructor(args: ModelArgs<S>) {
    super({ name: args?.name, trainable: args?.trainable }, new.target === Model ? 'Functional' : new.target.name);
    if (args?.inputs === undefined && args?.outputs === undefined && new.target !== Model) return;
    const where = `Model${args?.name ? ` "${args.name}"` : ''}`;
    if (typeof args !== 'object' || args === null || args.inputs === undefined || args.outputs === undefined) throw new Error(`${where}: expected {inputs, outputs, name?}`);
    const inputs = flatten(args.inputs, 'inputs', where);
    const outputs = flatten(args.outputs, 'outputs', where);
    this.setGraph(buildGraph(inputs.list, outputs.list, where), inputs, outputs);
  }

  /** Install the graph (and the names of its inputs and outputs). */
  protected setGraph(graph: Graph, inputs: { form: Form; names: string[] }, outputs: { form: Form; names: string[] }): void {
    this.graphState = graph;
    this.inputForm = inputs.form;
    this.outputForm = outputs.form;
    this.names = { inputs: inputs.names, outputs: outputs.names };
    const shapes = graph.inputs.map((t) => t.shape);
    super.build(shapes.length === 1 ? shapes[0] : shapes);
  }

  /** The graph; subclasses that build lazily override this to build it for inputs of `sampleShapes`. */
  graphFor(_sampleShapes?: readonly (readonly number[])[]): Graph {
    if (!this.graphState) throw new Error(`Model "${this.name}" has no graph yet`);
    return this.graphState;
  }

  protected get graph(): Graph | undefined {
    return this.graphState;
  }

  get inputs(): SymbolicTensor[] {
    return [...this.graphFor().inputs];
  }
  get outputs(): SymbolicTensor[] {
    return [...this.graphFor().outputs];
  }
  get forms(): { inputs: Form; outputs: Form } {
    return { inputs: this.inputForm, outputs: this.outputForm };
  }
  get inputNames(): string[] {
    return [...this.names.inputs];
  }
  get outputNames(): string[] {
    return [...this.names.outputs];
  }

  /** The layers in Keras's order, the `InputLayer`s included (as in Keras 3's functional models). */
  get layers(): Layer[] {
    return [...(this.graphState?.layers ?? [])];
  }

  override get childLayers(): Layer[] {
    return this.layers;
  }

  /** A layer by name, or by position in `layers`. */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    const found = typeof nameOrIndex === 'number' ? layers[nameOrIndex] : layers.find((l) => l.name === nameOrIndex);
    if (!found) throw new Error(`getLayer: model "${this.name}" has no layer ${typeof nameOrIndex === 'number' ? `at index ${nameOrIndex} (it has ${layers.length})` : `named "${nameOrIndex}" (its layers: ${layers.map((l) => l.name).join(', ')})`}`);
    return found;
  }

  override get built(): boolean {
    return this.graphState !== undefined && this.layers.every((l) => l.built);
  }

  /** The input shape with the batch axis (`null`); a list for several inputs. */
  override get inputShape(): LayerShapes | undefined {
    const shapes = this.graphState?.inputs.map((t) => t.shape);
    return shapes && (shapes.length === 1 ? shapes[0] : shapes);
  }

  /** Throws, naming the input and both shapes, when inputs of `shapes` (batch first) do not fit. */
  assertInputShapes(shapes: readonly (readonly number[])[]): void {
    const inputs = this.graphFor().inputs;
    inputs.forEach((t, i) => {
      const want = t.shape;
      const got = shapes[i];
      if (want.length !== got.length || want.some((d, j) => d !== null && d !== got[j])) {
        throw new Error(`Input "${this.names.inputs[i]}" of model "${this.name}" is incompatible: expected shape ${formatLayerShape(want)}, got ${formatLayerShape(got)}`);
      }
    });
  }

  outputShapesFor(_shapes: readonly (readonly number[])[]): LayerShape[] {
    return this.graphFor().outputs.map((t) => t.shape);
  }

  forward(xs: readonly Tensor[], options: CallOptions, logitsFor?: readonly (string | undefined)[]): GraphRun {
    return runGraph(this.graphFor(xs.map((x) => x.shape.slice(1))), xs, options, logitsFor);
  }

  /** As a layer inside another model: run the graph (one output, or a list). */
  call(inputs: LayerInputs, options: CallOptions): Tensor | Tensor[] {
    const { outputs } = this.forward(Array.isArray(inputs) ? inputs : [inputs], options);
    return outputs.length === 1 ? outputs[0] : outputs;
  }

  override computeOutputShape(inputShape: LayerShapes): LayerShapes {
    const shapes = this.graphFor().outputs.map((t) => t.shape);
    return shapes.length === 1 ? shapes[0] : shapes;
  }

  override get weights(): Variable[] {
    return [...new Set(this.layers.flatMap((l) => l.weights))];
  }
  override get trainableWeights(): Variable[] {
    return this.trainable ? [...new Set(this.layers.flatMap((l) => l.trainableWeights))] : [];
  }
  override get nonTrainableWeights(): Variable[] {
    const trainable = new Set(this.trainableWeights);
    return this.weights.filter((v) => !trainable.has(v));
  }
  override countParams(): number {
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  /** Release the weights and the optimizer's state (as tfjs's `model.dispose()`); the model is unusable after. */
  dispose(): void {
    this.assertIdle('dispose');
    dispose(this.weights);
    this.compiledState?.optimizer.dispose();
    for (const m of this.compiledState ? compiledMetrics(this.compiledState) : []) m.dispose();
    this.disposed = true;
  }

  /** Throws, naming the model, once `dispose()` has released its weights. */
  protected assertUsable(what: string): void {
    if (this.disposed) throw new Error(`${what}: model "${this.name}" was disposed (its weights and optimizer state are released); build or load a new model`);
  }

  /** Throws while `fit`/`evaluate` runs, for calls that would change what it is using. */
  private assertIdle(what: string): void {
    this.assertUsable(what);
    if (this.running === 'fit') throw new Error(`${what}: model "${this.name}" is training; wait for fit() to finish`);
    if (this.running) throw new Error(`${what}: model "${this.name}" is running ${this.running}(); wait for it to finish`);
  }

  /** Run a long call, marking it so that `assertIdle` refuses what would tear it. */
  private async exclusive<T>(what: 'fit' | 'evaluate', body: () => Promise<T>): Promise<T> {
    if (this.running === 'fit' && what === 'fit') throw new Error(`fit: model "${this.name}" is already training; await the running fit() before starting another`);
    this.assertIdle(what);
    this.running = what;
    try {
      return await body();
    } finally {
      this.running = undefined;
    }
  }

  /** The weights' current values, layer by layer (kernel, bias, …). Snapshots: later training does not change them. */
  getWeights(): Tensor[] {
    this.assertUsable('getWeights');
    return this.weights.map((v) => reshape(v, v.shape));
  }

  /**
   * Replace every weight; all shapes are checked before any is assigned. During `fit` (from a callback)
   * the new weights take effect from the next step: a step is one synchronous block, never torn.
   */
  setWeights(weights: readonly Tensor[]): void {
    this.assertUsable('setWeights');
    if (!this.built) throw new Error(`setWeights: model "${this.name}" is not built yet, so it has no weights to set; build it first (give the first layer an inputShape, call build([null, ...featureShape]), or run it on data)`);
    const vars = this.weights;
    if (!Array.isArray(weights) || weights.length !== vars.length) {
      throw new Error(`setWeights: model "${this.name}" has ${vars.length} weights, got ${Array.isArray(weights) ? weights.length : typeof weights}`);
    }
    vars.forEach((v, i) => {
      const w = weights[i];
      assertTensor(w, `weight ${i}`, 'setWeights');
      const layer = this.layers.find((l) => l.weights.includes(v));
      if (w.dtype !== v.dtype || w.rank !== v.rank || w.shape.some((d, j) => d !== v.shape[j])) {
        throw new Error(`setWeights: weight ${i} ("${v.name}" of layer "${layer?.name}") expects shape ${formatShape(v.shape)} ${v.dtype}, got ${formatShape(w.shape)} ${w.dtype}`);
      }
    });
    vars.forEach((v, i) => v.assign(weights[i]));
  }

  /** Print Keras 3's summary table (one `printFn` call per line; default console.log). */
  summary(printFn: (line: string) => void = console.log): void {
    for (const line of functionalSummary(this, this.graphFor())) printFn(line);
  }

  compile(args: CompileArgs): void {
    this.assertIdle('compile');
    const previous = this.compiledState ? compiledMetrics(this.compiledState) : [];
    this.compiledState = resolveCompile(args, this.outputNames);
    // the metrics of an earlier compile hold device state; those not compiled again are released
    const kept = compiledMetrics(this.compiledState);
    for (const m of previous) if (!kept.includes(m)) m.dispose();
  }

  get optimizer(): Optimizer {
    return this.compiled('optimizer').optimizer;
  }

  /** `['loss', ...]`: the order of `evaluate`'s result (per-output losses and metrics for several outputs). */
  get metricsNames(): string[] {
    return this.compiledState ? metricNames(this.compiledState) : [];
  }

  private compiled(what: string): Compiled {
    this.assertUsable(what);
    if (!this.compiledState) throw new Error(`${what}: model "${this.name}" must be compiled first: call model.compile({optimizer, loss, metrics})`);
    return this.compiledState;
  }

  /**
   * Train (Keras's `fit`); x and y are tensors, lists, or records by input/output name, or x is a stream
   * (an async generator, iterable or `Dataset`) of `[x, y]` / `[x, y, sampleWeight]` batches, read one
   * batch ahead while the device trains. One `fit` at a time per model.
   */
  fit(x: ModelData, y: ModelData, options?: FitOptions): Promise<History>;
  fit(x: BatchStream, options?: FitOptions): Promise<History>;
  async fit(x: ModelData | BatchStream, y?: ModelData | FitOptions, options: FitOptions = {}): Promise<History> {
    const compiled = this.compiled('fit');
    const [data, targets, opts] = isBatchStream(x) ? [x as BatchStream, undefined, (y ?? {}) as FitOptions] : [x as ModelData, y as ModelData, options];
    return this.exclusive('fit', async () => (this.history = await fitModel(this, compiled, data, targets, opts)));
  }

  /** Loss and metrics over (x, y): `[loss, ...]` in `metricsNames` order, or named with `returnDict: true`. */
  evaluate(x: ModelData, y: ModelData, options: EvaluateOptions & { returnDict: true }): Promise<Logs>;
  evaluate(x: ModelData, y: ModelData, options?: EvaluateOptions & { returnDict?: false }): Promise<number[]>;
  evaluate(x: BatchStream, options: EvaluateOptions & { returnDict: true }): Promise<Logs>;
  evaluate(x: BatchStream, options?: EvaluateOptions & { returnDict?: false }): Promise<number[]>;
  async evaluate(x: ModelData | BatchStream, y?: ModelData | EvaluateOptions, options: EvaluateOptions = {}): Promise<number[] | Logs> {
    const compiled = this.compiled('evaluate');
    const [data, targets, opts] = isBatchStream(x) ? [x as BatchStream, undefined, (y ?? {}) as EvaluateOptions] : [x as ModelData, y as ModelData, options];
    // evaluating from a fit callback (validation) is allowed; otherwise the model is held for the run
    return this.running === 'fit' ? evaluateModel(this, compiled, data, targets, opts) : this.exclusive('evaluate', () => evaluateModel(this, compiled, data, targets, opts));
  }

  /**
   * Outputs for x in batches (inference mode), shaped like the model's outputs. Synchronous for tensors
   * (the result stays on the device); for a stream of batches (see `predictStream`), a promise.
   */
  predict(x: ModelData, options?: { batchSize?: number; verbose?: 0 | 1 | 2 }): ModelOutput<S>;
  predict(x: BatchStream, options?: { steps?: number }): Promise<ModelOutput<S>>;
  predict(x: ModelData | BatchStream<unknown>, options: { batchSize?: number; verbose?: 0 | 1 | 2; steps?: number } = {}): ModelOutput<S> | Promise<ModelOutput<S>> {
    this.assertUsable('predict');
    if (isBatchStream(x)) {
      const { steps } = parseOptions(PredictStreamOptions, options, 'predict');
      return predictStream(this, x as BatchStream, steps).then((outs) => this.structured(outs));
    }
    const { batchSize } = parseOptions(PredictOptions, options, 'predict');
    const xs = toTensorList(x, this.inputNames, 'x', 'predict');
    this.assertInputShapes(xs.map((t) => t.shape));
    const batches = batchRanges(xs[0].shape[0], batchSize);
    if (batches.length <= 1) return this.predictOnBatch(x);
    const parts = batches.map(([start, stop]) => tidy(() => this.forward(rows(xs, start, stop), {}).outputs));
    const outs = parts[0].map((_, i) => concat(parts.map((p) => p[i]), 0));
    dispose(parts.flat());
    return this.structured(outs);
  }

  predictOnBatch(x: ModelData): ModelOutput<S> {
    this.assertUsable('predictOnBatch');
    const xs = toTensorList(x, this.inputNames, 'x', 'predictOnBatch');
    this.assertInputShapes(xs.map((t) => t.shape));
    return this.structured(tidy(() => this.forward(xs, {}).outputs));
  }

  /** Outputs in the structure the model was made with. */
  private structured(outs: Tensor[]): ModelOutput<S> {
    if (this.outputForm === 'one') return outs[0] as ModelOutput<S>;
    if (this.outputForm === 'list') return outs as ModelOutput<S>;
    return Object.fromEntries(this.names.outputs.map((name, i) => [name, outs[i]])) as ModelOutput<S>;
  }

  /** One optimizer step on (x, y); resolves to `[loss, ...]` for this batch (a read-back). */
  async trainOnBatch(x: ModelData, y: ModelData): Promise<number[]> {
    const compiled = this.compiled('trainOnBatch');
    if (this.running) throw new Error(`trainOnBatch: model "${this.name}" is running ${this.running}(); wait for it to finish`);
    return this.runBatch(compiled, x, y, 'trainOnBatch', (m, c, xs, ys) => trainStep(m, c, xs, ys));
  }

  /** `[loss, ...]` for (x, y) in inference mode. */
  async testOnBatch(x: ModelData, y: ModelData): Promise<number[]> {
    return this.runBatch(this.compiled('testOnBatch'), x, y, 'testOnBatch', testStep);
  }

  private async runBatch(compiled: Compiled, x: ModelData, y: ModelData, where: string, step: typeof testStep): Promise<number[]> {
    const data = checkInputs(this, x, y, where);
    await checkLabels(this, compiled, data, where);
    this.graphFor(data.x.map((t) => t.shape.slice(1)));
    const names = metricNames(compiled);
    const means = new RunningMeans(names, compiledMetrics(compiled));
    try {
      tidy(() => means.update(step(this, compiled, data.x, data.y), data.x[0].shape[0]));
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
  async save(path: string): Promise<void> {
    this.assertUsable('save');
    return saveModel(this, path);
  }

  /** Write the weights (and optimizer state) alone, as Keras's `.weights.h5`. */
  async saveWeights(path: string): Promise<void> {
    this.assertUsable('saveWeights');
    return saveWeights(this, path);
  }

  /** Read weights saved by `saveWeights` (or Keras); every shape is checked before anything changes. */
  async loadWeights(source: SaveSource): Promise<void> {
    this.assertIdle('loadWeights');
    return loadWeights(this, source);
  }

  /** Keras's `to_json()`: the model's `config.json` text. */
  toJSON(): string {
    return modelToJSON(this);
  }

  override getConfig(): LayerConfig {
    return { name: this.name, trainable: this.trainable };
  }
}
