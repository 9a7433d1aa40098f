import type { Layer, LayerConfig } from './layers/layer.ts';

/**
 * A user's layer class: rebuilt by its static `fromConfig(config)` when it has one, else by
 * `new YourLayer(config)`, with the config its `getConfig()` wrote (camelCase keys).
 */
export type SerializableLayerClass = (new (config: never) => Layer) & { fromConfig?(config: LayerConfig): Layer };

/** Rebuild a registered layer from its config. */
export function fromConfig(cls: SerializableLayerClass, config: LayerConfig): Layer {
  return cls.fromConfig ? cls.fromConfig(config) : new (cls as unknown as new (c: LayerConfig) => Layer)(config);
}

interface Registered {
  readonly cls: SerializableLayerClass;
  /** Keras's `registered_name`: `package>name`. */
  readonly registeredName: string;
}

const byKey = new Map<string, Registered>();
const byClass = new Map<SerializableLayerClass, Registered>();

/**
 * Keras's `register_keras_serializable`: makes a custom `Layer` subclass loadable from a saved model. The
 * saved config names it `package>name` (default package `Custom`, default name the class's `className`).
 */
export function registerSerializable<C extends SerializableLayerClass>(cls: C, options: { package?: string; name?: string } = {}): C {
  if (typeof cls !== 'function') throw new Error(`registerSerializable: expected a Layer subclass, got ${cls === null ? 'null' : typeof cls}`);
  const name = options.name ?? cls.name;
  if (!name) throw new Error('registerSerializable: the class has no name; pass {name}');
  const registeredName = `${options.package ?? 'Custom'}>${name}`;
  const existing = byKey.get(registeredName);
  if (existing && existing.cls !== cls) throw new Error(`registerSerializable: "${registeredName}" is already registered to another class; pick another {package, name}`);
  const entry = { cls, registeredName };
  byKey.set(registeredName, entry);
  byKey.set(name, entry);
  byClass.set(cls, entry);
  return cls;
}

/** The registered name of a layer's class, when the user registered it. */
export function registeredNameOf(layer: Layer): string | undefined {
  return byClass.get(layer.constructor as SerializableLayerClass)?.registeredName;
}

/** The class registered under a `registered_name` or class name. */
export function registeredClass(key: string): SerializableLayerClass | undefined {
  return byKey.get(key)?.cls;
}

/** Names registered so far, for error messages. */
export function registeredNames(): string[] {
  return [...new Set([...byKey.values()].map((r) => r.registeredName))];
}
