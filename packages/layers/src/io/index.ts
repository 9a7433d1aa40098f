import type { TrainableModel } from '../graph/model-api.ts';
import type { Layer } from '../layers/layer.ts';
import { packKeras, unpackKeras } from './keras-archive.ts';
import { modelFromKeras, modelToKeras, type CompilableModel, type ModelFactory } from './model-config.ts';
import { assignModelWeights, modelWeights } from './model-weights.ts';
import { INDEXEDDB_SCHEME } from './indexeddb.ts';
import { kerasJson } from './keras-json.ts';
import { readFrom, writeTo, type SaveSource } from './storage.ts';
import { decodeWeights, encodeWeights } from './weights-h5.ts';

export type { SaveSource } from './storage.ts';
export { compileToKeras, type KerasCompileConfig, type KerasModelConfig, type ModelFactory } from './model-config.ts';

type SavableModel = TrainableModel & Layer;

/** The model as the bytes of a Keras 3 `.keras` file (for a download, or to store anywhere). */
export async function modelToBytes(model: SavableModel): Promise<Uint8Array<ArrayBuffer>> {
  const config = modelToKeras(model);
  return packKeras({ config, weights: await encodeWeights(await modelWeights(model)) });
}

/** The `.keras` file as a Blob, e.g. for `URL.createObjectURL` and a download link. */
export async function modelToBlob(model: SavableModel): Promise<Blob> {
  const bytes = await modelToBytes(model);
  return new Blob([bytes], { type: 'application/zip' });
}

/** Keras's rule: a file path names its format by its ending (IndexedDB keys are free). */
function checkEnding(target: string, ending: string, where: string): void {
  if (typeof target === 'string' && !target.startsWith(INDEXEDDB_SCHEME) && !target.endsWith(ending)) {
    throw new Error(`${where}: the file name must end in "${ending}", got "${target}"`);
  }
}

/** `model.save(path)`: a `.keras` file at a path (written atomically) or at `indexeddb://<key>`. */
export async function saveModel(model: SavableModel, target: string): Promise<void> {
  checkEnding(target, '.keras', 'save');
  await writeTo(target, await modelToBytes(model), 'save');
}

async function readWeights(bytes: Uint8Array, where: string, entry: string): Promise<Awaited<ReturnType<typeof decodeWeights>>> {
  try {
    return await decodeWeights(bytes);
  } catch (error) {
    throw new Error(`${where}: ${entry} is not a readable Keras weights file (${(error as Error).message})`);
  }
}

/**
 * Keras's `keras.saving.load_model`: the model with the saved weights, compiled with the saved optimizer
 * (state included), losses and metrics unless `compile: false`. Nothing is created until the whole file
 * has been read and checked. `factory` makes the models (the model classes live above io/).
 */
export async function loadModelWith(factory: ModelFactory, source: SaveSource, options: { compile?: boolean } = {}): Promise<CompilableModel> {
  const where = 'loadModel';
  const { config, weights } = unpackKeras(await readFrom(source, where), where);
  const content = await readWeights(weights, where, 'model.weights.h5');
  const model = modelFromKeras(config, where, options.compile ?? true, factory);
  try {
    await assignModelWeights(model, content, where);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/** `model.saveWeights(path)`: Keras's `model.weights.h5` alone (the name must end in `.weights.h5`). */
export async function saveWeights(model: SavableModel, target: string): Promise<void> {
  checkEnding(target, '.weights.h5', 'saveWeights');
  await writeTo(target, await encodeWeights(await modelWeights(model)), 'saveWeights');
}

/** `model.loadWeights(source)`: every weight (and the optimizer state when compiled) from a `.weights.h5`; all checked before any changes. */
export async function loadWeights(model: TrainableModel, source: SaveSource): Promise<void> {
  const where = `loadWeights (model "${model.name}")`;
  const content = await readWeights(await readFrom(source, where), where, 'the file');
  await assignModelWeights(model, content, where);
}

/** Keras's `model.to_json()`: the `config.json` text. */
export function modelToJSON(model: SavableModel): string {
  return kerasJson(modelToKeras(model));
}

/** Keras's `keras.models.model_from_json`: a new model (fresh weights) from `toJSON()` text or a Keras `config.json`. */
export function modelFromJSONWith(factory: ModelFactory, json: string, options: { compile?: boolean } = {}): CompilableModel {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new Error(`modelFromJSON: not valid JSON (${(error as Error).message})`);
  }
  return modelFromKeras(parsed, 'modelFromJSON', options.compile ?? true, factory);
}
