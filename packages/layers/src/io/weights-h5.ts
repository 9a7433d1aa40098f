import { readHdf5, writeHdf5, type H5File, type H5wasm } from './hdf5.ts';

/** One saved variable: float32 (weights, slots, learning rate) or int32 (the iteration count). */
export interface StoredArray {
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

/** A `<path>/vars` group: the owner's name (its `name` attribute) and the variables `0`, `1`, … in order. */
export interface VarsGroup {
  readonly name: string;
  readonly vars: readonly StoredArray[];
}

/** A layer's group: its variables and, for a model nested as a layer, its own layers' groups (`<key>/layers/…`). */
export interface LayerGroup extends VarsGroup {
  readonly layers?: ReadonlyMap<string, LayerGroup>;
  /** Layers held as attributes (an RNN's `cell`, a wrapper's `layer`): `<key>/<attribute>/…`. */
  readonly attributes?: ReadonlyMap<string, LayerGroup>;
}

/**
 * Keras 3's `model.weights.h5`: `vars` (the model's own, none for a Sequential), `layers/<key>/vars` per
 * layer (keys are the snake_case class names made unique: `dense`, `dense_1`, …) and
 * `optimizer/vars` (iterations, learning rate, slots).
 */
export interface WeightsContent {
  readonly model: string;
  readonly layers: ReadonlyMap<string, LayerGroup>;
  readonly optimizer?: VarsGroup;
}

function writeVars(parent: ReturnType<H5File['create_group']> | H5File, group: VarsGroup): void {
  const vars = parent.create_group('vars');
  vars.create_attribute('name', group.name);
  group.vars.forEach((v, i) => vars.create_dataset({ name: String(i), data: v.data, shape: [...v.shape], dtype: v.data instanceof Int32Array ? '<i' : '<f' }));
}

export function encodeWeights(content: WeightsContent): Promise<Uint8Array> {
  type Parent = ReturnType<H5File['create_group']> | H5File;
  const writeGroup = (g: Parent, group: LayerGroup): void => {
    if (group.layers) writeLayers(g, group.layers);
    for (const [attribute, inner] of group.attributes ?? []) writeGroup(g.create_group(attribute), inner);
    writeVars(g, group);
  };
  const writeLayers = (parent: Parent, groups: ReadonlyMap<string, LayerGroup>): void => {
    const layers = parent.create_group('layers');
    for (const [key, group] of groups) writeGroup(layers.create_group(key), group);
  };
  return writeHdf5((file) => {
    writeLayers(file, content.layers);
    if (content.optimizer) writeVars(file.create_group('optimizer'), content.optimizer);
    writeVars(file, { name: content.model, vars: [] });
  });
}

function readArray(h5: H5wasm, file: H5File, path: string): StoredArray {
  const dataset = file.get(path);
  if (!(dataset instanceof h5.Dataset)) throw new Error(`${path} is not a dataset`);
  const isFloat = dataset.metadata.type === 1;
  if (!isFloat && dataset.metadata.type !== 0) throw new Error(`${path} holds ${String(dataset.dtype)} values, not numbers`);
  const shape = dataset.shape ?? [];
  const value = dataset.value;
  if (value instanceof Float32Array) return { shape, data: value };
  const numbers = typeof value === 'number' || typeof value === 'bigint' ? [value] : ArrayBuffer.isView(value) ? Array.from(value as ArrayLike<number | bigint>) : undefined;
  if (!numbers) throw new Error(`${path} holds no numeric data`);
  const list = numbers.map(Number);
  return { shape, data: isFloat ? Float32Array.from(list) : Int32Array.from(list) };
}

function readVars(h5: H5wasm, file: H5File, path: string): VarsGroup | undefined {
  const group = file.get(`${path}/vars`);
  if (!(group instanceof h5.Group)) return undefined;
  const keys = group.keys().sort((a, b) => Number(a) - Number(b));
  const bad = keys.find((k, i) => k !== String(i));
  if (bad !== undefined) throw new Error(`${path}/vars has an unexpected entry "${bad}" (expected 0, 1, …)`);
  const name = group.attrs.name?.value;
  return { name: typeof name === 'string' ? name : path, vars: keys.map((k) => readArray(h5, file, `${path}/vars/${k}`)) };
}

export function decodeWeights(bytes: Uint8Array): Promise<WeightsContent> {
  return readHdf5(bytes, (file, h5) => {
    const readGroup = (path: string, key: string): LayerGroup | undefined => {
      const group = readVars(h5, file, path);
      const inner = file.get(`${path}/layers`) instanceof h5.Group ? readLayers(`${path}/`) : undefined;
      const here = file.get(path);
      const attributes = new Map<string, LayerGroup>();
      for (const name of here instanceof h5.Group ? here.keys() : []) {
        if (name === 'vars' || name === 'layers' || !(file.get(`${path}/${name}`) instanceof h5.Group)) continue;
        const attribute = readGroup(`${path}/${name}`, name);
        if (attribute) attributes.set(name, attribute);
      }
      if (!group && !inner && !attributes.size) return undefined;
      return { name: group?.name ?? key, vars: group?.vars ?? [], ...(inner ? { layers: inner } : {}), ...(attributes.size ? { attributes } : {}) };
    };
    const readLayers = (prefix: string): Map<string, LayerGroup> => {
      const layersGroup = file.get(`${prefix}layers`);
      const layers = new Map<string, LayerGroup>();
      if (!(layersGroup instanceof h5.Group)) return layers;
      for (const key of layersGroup.keys()) {
        const group = readGroup(`${prefix}layers/${key}`, key);
        if (group) layers.set(key, group);
      }
      return layers;
    };
    const model = readVars(h5, file, '')?.name ?? '';
    return { model, layers: readLayers(''), optimizer: readVars(h5, file, 'optimizer') };
  });
}
