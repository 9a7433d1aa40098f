import type { Tensor, Variable } from '@strata/core';
import type { KerasCompileConfig } from '../io/model-config.ts';
import type { CallOptions, Layer, LayerShape, LayerShapes } from '../layers/layer.ts';
import type { SymbolicTensor } from '../layers/symbolic.ts';
import type { Optimizer } from '../optimizers/optimizer.ts';
import type { GraphRun } from './executor.ts';
import type { Graph } from './graph.ts';

/** A model's inputs or outputs: one symbolic tensor, a list, or a record by name. */
export type SymbolicStructure = SymbolicTensor | readonly SymbolicTensor[] | Readonly<Record<string, SymbolicTensor>>;

/** How a model's inputs and outputs were given: the structure fit/predict mirror and `.keras` records. */
export type StructureForm = 'one' | 'list' | 'record';

/**
 * What training (`training/`), saving (`io/`) and callbacks need of a model. `Model` and `Sequential`
 * implement it; those modules depend on this interface, never on the model classes.
 */
export interface TrainableModel {
  readonly name: string;
  /** Set to true (e.g. from a callback) to end `fit` after the current batch. */
  stopTraining: boolean;
  readonly layers: Layer[];
  readonly weights: Variable[];
  readonly trainableWeights: Variable[];
  readonly built: boolean;
  /** Names of the inputs and outputs, the keys of records given to fit/evaluate/predict. */
  readonly inputNames: string[];
  readonly outputNames: string[];
  readonly forms: { readonly inputs: StructureForm; readonly outputs: StructureForm };
  /** The input shape(s) with the batch axis, when known. */
  readonly inputShape: LayerShapes | undefined;
  /** The graph, built (for inputs of these per-sample shapes, when the model builds lazily). */
  graphFor(sampleShapes?: readonly (readonly number[])[]): Graph;
  /** Throws, naming the layer and both shapes, when inputs of these shapes (batch first) do not fit. */
  assertInputShapes(shapes: readonly (readonly number[])[]): void;
  /** The output shapes for inputs of these shapes, without building. */
  outputShapesFor(shapes: readonly (readonly number[])[]): LayerShape[];
  /** Run the graph on a batch; see `runGraph` for `logitsFor`. */
  forward(xs: readonly Tensor[], options: CallOptions, logitsFor?: readonly (string | undefined)[]): GraphRun;
  readonly optimizer: Optimizer;
  getCompileConfig(): KerasCompileConfig | undefined;
  getWeights(): Tensor[];
  setWeights(weights: readonly Tensor[]): void;
  save(path: string): Promise<void>;
  /** Release the weights and the optimizer's state. */
  dispose(): void;
  saveWeights(path: string): Promise<void>;
}
