import { dispose, formatShape, reshape, tensor, tidy, type Tensor, type Variable } from '@strata/core';
import { snakeCase, type Layer } from '../layers/layer.ts';
import type { TrainableModel } from '../graph/model-api.ts';
import type { Optimizer } from '../optimizers/optimizer.ts';
import type { LayerGroup, StoredArray, VarsGroup, WeightsContent } from './weights-h5.ts';

/** Keras's keys for a model's layers: snake_case class names, made unique per model (`dense`, `dense_1`, …). */
export function layerKeys(layers: readonly Layer[]): string[] {
  const used = new Map<string, number>();
  return layers.map((layer) => {
    const base = snakeCase(layer.className);
    const n = used.get(base) ?? 0;
    used.set(base, n + 1);
    return n === 0 ? base : `${base}_${n}`;
  });
}

/** The optimizer, when the model is compiled. */
function compiledOptimizer(model: TrainableModel): Optimizer | undefined {
  return model.getCompileConfig() ? model.optimizer : undefined;
}

async function readAll(variables: readonly Variable[]): Promise<StoredArray[]> {
  // snapshots first (zero-copy), so values read later are all from the same moment
  const snapshots = variables.map((v) => reshape(v, v.shape));
  try {
    return await Promise.all(snapshots.map(async (t) => {
      const data = await t.data();
      if (!(data instanceof Float32Array || data instanceof Int32Array)) throw new Error(`cannot save variable of dtype ${t.dtype}`);
      return { shape: t.shape, data };
    }));
  } finally {
    dispose(snapshots);
  }
}

/**
 * Everything `model.weights.h5` holds. A compiled model's optimizer is built on the trainable weights
 * first (as Keras does when it compiles a loaded model), so the file always has the full optimizer state.
 */
export async function modelWeights(model: TrainableModel): Promise<WeightsContent> {
  const layers = await layerGroups(model.layers);
  const optimizer = compiledOptimizer(model);
  if (!optimizer) return { model: model.name, layers };
  if (model.built) optimizer.build(model.trainableWeights);
  return { model: model.name, layers, optimizer: { name: optimizer.name, vars: await readAll(optimizer.variables()) } };
}

/** Each layer's group by Keras key; a nested model's group holds its layers' groups (and no variables of its own). */
async function layerGroups(layers: readonly Layer[]): Promise<Map<string, LayerGroup>> {
  const keys = layerKeys(layers);
  const groups = await Promise.all(layers.map(async (layer): Promise<LayerGroup> => {
    const children = layer.childLayers;
    return children.length ? { name: layer.name, vars: [], layers: await layerGroups(children) } : ownGroup(layer);
  }));
  return new Map(groups.map((g, i) => [keys[i], g]));
}

/** A layer's own variables and, at `<attribute>/…`, those of the layers it holds as attributes. */
async function ownGroup(layer: Layer): Promise<LayerGroup> {
  const attributes = await Promise.all(layer.attributeLayers.map(async ([name, inner]) => [name, await ownGroup(inner)] as const));
  return { name: layer.name, vars: await readAll(layer.ownWeights), ...(attributes.length ? { attributes: new Map(attributes) } : {}) };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function checkArray(v: Variable, saved: StoredArray, where: string): void {
  const dtype = saved.data instanceof Int32Array ? 'int32' : 'float32';
  if (!sameShape(v.shape, saved.shape) || dtype !== v.dtype) {
    throw new Error(`${where}: weight "${v.name}" expects shape ${formatShape(v.shape)} ${v.dtype}, the file has ${formatShape(saved.shape)} ${dtype}`);
  }
}

const toTensor = (saved: StoredArray): Tensor => tensor(saved.data, saved.shape, saved.data instanceof Int32Array ? 'int32' : 'float32');

/**
 * The optimizer's new values, checked; the file of an optimizer saved before its first step (only the
 * iteration count and, without a schedule, the learning rate) leaves the fresh slots.
 */
function optimizerValues(optimizer: Optimizer, saved: VarsGroup, where: string): Tensor[] {
  const vars = optimizer.variables();
  const at = `${where}: optimizer "${optimizer.name}" (${optimizer.className})`;
  const own = optimizer.unbuiltVariableCount;
  const unbuilt = saved.vars.length === own;
  if (!unbuilt && saved.vars.length !== vars.length) throw new Error(`${at} has ${vars.length} variables, the file has ${saved.vars.length} (optimizer/vars of "${saved.name}")`);
  saved.vars.forEach((s, i) => checkArray(vars[i], s, at));
  const iteration = saved.vars[0].data[0];
  if (!Number.isInteger(iteration) || iteration < 0) throw new Error(`${at}: the saved iteration count must be an integer >= 0, got ${iteration}`);
  return [...saved.vars.map(toTensor), ...(unbuilt ? vars.slice(own).map((v) => reshape(v, v.shape)) : [])];
}

/** Whether a layer's group (or a nested model's) holds any saved variable. */
const hasVars = (g: LayerGroup): boolean => g.vars.length > 0 || [...(g.layers?.values() ?? [])].some(hasVars);

/** Every (variable, saved array) pair of these layers, checked; `path` is where their groups are in the file. */
function pairLayers(layers: readonly Layer[], groups: ReadonlyMap<string, LayerGroup>, owner: string, path: string, where: string): Array<readonly [Variable, StoredArray]> {
  const keys = layerKeys(layers);
  const hasVars = (g: LayerGroup): boolean => g.vars.length > 0 || [...(g.layers?.values() ?? []), ...(g.attributes?.values() ?? [])].some(hasVars);
  const unknown = [...groups].find(([key, group]) => hasVars(group) && !keys.includes(key));
  if (unknown) throw new Error(`${where}: the file has weights for ${path}layers/${unknown[0]} ("${unknown[1].name}"), which model "${owner}" does not have (its layers: ${keys.join(', ')})`);
  return layers.flatMap((layer, i) => {
    const group = groups.get(keys[i]);
    const children = layer.childLayers;
    if (children.length) return pairLayers(children, group?.layers ?? new Map(), layer.name, `${path}layers/${keys[i]}/`, where);
    return pairOwn(layer, group, `${path}layers/${keys[i]}`, where);
  });
}

/** The pairs of a layer's own variables and, recursively, of its attribute layers (`<path>/<attribute>`). */
function pairOwn(layer: Layer, group: LayerGroup | undefined, path: string, where: string): Array<readonly [Variable, StoredArray]> {
  const saved = group?.vars ?? [];
  const own = layer.ownWeights;
  const at = `${where}: layer "${layer.name}" (${layer.className})`;
  if (saved.length !== own.length) throw new Error(`${at} has ${own.length} weights, the file has ${saved.length} at ${path}`);
  own.forEach((v, j) => checkArray(v, saved[j], at));
  const inner = layer.attributeLayers.flatMap(([name, sub]) => pairOwn(sub, group?.attributes?.get(name), `${path}/${name}`, where));
  return [...own.map((v, j) => [v, saved[j]] as const), ...inner];
}

/**
 * Put saved weights (and optimizer state, when the model is compiled and the file has it) into `model`.
 * Every count and shape is checked before anything changes.
 */
export async function assignModelWeights(model: TrainableModel, content: WeightsContent, where: string): Promise<void> {
  if (!model.built) {
    // a model saved before it was built has no weights to put back (Keras loads it unbuilt too)
    if (![...content.layers.values()].some(hasVars)) return;
    throw new Error(`${where}: model "${model.name}" is not built; give the first layer an inputShape (or call the model once) before loading weights`);
  }
  const pairs = pairLayers(model.layers, content.layers, model.name, '', where);
  const optimizer = compiledOptimizer(model);
  if (optimizer && content.optimizer) optimizer.build(model.trainableWeights);
  const optimizerState = optimizer && content.optimizer ? optimizerValues(optimizer, content.optimizer, where) : undefined;
  tidy(() => pairs.forEach(([v, saved]) => v.assign(toTensor(saved))));
  if (!optimizer || !optimizerState) return;
  try {
    await optimizer.setWeights(optimizerState);
  } finally {
    dispose(optimizerState);
  }
}
