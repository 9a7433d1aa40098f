import { loadModelWith, modelFromJSONWith, type ModelFactory, type SaveSource } from '../io/index.ts';
import type { SymbolicStructure } from '../graph/model-api.ts';
import type { SymbolicTensor } from '../layers/symbolic.ts';
import { Model } from './model.ts';
import { Sequential } from './sequential.ts';

/** io/ rebuilds models through these constructors (it never imports the model classes). */
const factory: ModelFactory = {
  functional: (inputs, outputs, name) => new Model({ inputs, outputs, name }),
  sequential: (name, layers) => new Sequential(layers, { name }),
};

/**
 * Keras's `keras.saving.load_model`: a `Sequential` or functional `Model` with the saved weights, compiled
 * with the saved optimizer (state included), losses and metrics unless `compile: false`. The type
 * parameter states the outputs' structure `predict` returns (default: one output); for a model with
 * several, `loadModel<SymbolicTensor[]>(…)` (or a record type) says so.
 */
export async function loadModel<S extends SymbolicStructure = SymbolicTensor>(source: SaveSource, options: { compile?: boolean } = {}): Promise<Model<S>> {
  return (await loadModelWith(factory, source, options)) as Model<S>;
}

/** Keras's `keras.models.model_from_json`: a new model (fresh weights) from `toJSON()` text or a Keras `config.json`. */
export function modelFromJSON<S extends SymbolicStructure = SymbolicTensor>(json: string, options: { compile?: boolean } = {}): Model<S> {
  return modelFromJSONWith(factory, json, options) as Model<S>;
}
