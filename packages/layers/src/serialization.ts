import { toCamelCase } from './identifiers.ts';
import type { Layer, LayerConfig } from './layers/layer.ts';

/**
 * A user's layer class: rebuilt by its static `fromConfig(config)` when it has one, else by
 * `new YourLayer(config)`, with the config its `getConfig()` wrote (camelCase keys).
 */
export type SerializableLayerClass = (new (config: never) => Layer) & { fromConfig?(config: LayerConfig): Layer };

/** Any class `registerSerializable` takes: a Layer, Loss, Metric or learning-rate schedule subclass. */
export type SerializableClass = (new (config: never) => object) & { fromConfig?(config: Record<string, unknown>): object };

/** Rebuild a registered layer from its config. */
export function fromConfig(cls: SerializableLayerClass, config: LayerConfig): Layer {
  return cls.fromConfig ? cls.fromConfig(config) : new (cls as unknown as new (c: LayerConfig) => Layer)(config);
}

interface Registered {
  readonly cls: SerializableClass;
  /** Keras's `registered_name`: `package>name`. */
  readonly registeredName: string;
}

const byKey = new Map<string, Registered>();
const byClass = new Map<SerializableClass, Registered>();

/**
 * Keras's `register_keras_serializable`: makes a custom `Layer`, `Metric` (or other Keras object) subclass
 * loadable from a saved model. The saved config names it `package>name` (default package `Custom`,
 * default name the class's name), as Keras does, so Python Keras with the same registration loads it too.
 */
export function registerSerializable<C extends SerializableClass>(cls: C, options: { package?: string; name?: string } = {}): C {
  if (typeof cls !== 'function') throw new Error(`registerSerializable: expected a Layer or Metric subclass, got ${cls === null ? 'null' : typeof cls}`);
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

/** The registered name of an object's class (a layer's, a metric's), when the user registered it. */
export function registeredNameOf(object: object): string | undefined {
  return byClass.get(object.constructor as SerializableClass)?.registeredName;
}

/** The class registered under a `registered_name` or class name (callers check that it is the kind they need). */
export function registeredClass<C extends SerializableClass = SerializableLayerClass>(key: string): C | undefined {
  return byKey.get(key)?.cls as C | undefined;
}

/**
 * A registered custom object (a Loss, a Metric, a schedule) rebuilt from its Keras form: the class under
 * `registered_name` (or the class name), given its config in camelCase (`null` entries left out), by its
 * static `fromConfig` or its constructor. Undefined when no class of the wanted kind is registered.
 */
export function fromRegistered<T>(serialized: { class_name: string; registered_name?: string | null; config?: Record<string, unknown> }, isKind: (made: unknown) => made is T): T | undefined {
  const cls = registeredClass<SerializableClass>(serialized.registered_name ?? serialized.class_name) ?? registeredClass<SerializableClass>(serialized.class_name);
  if (!cls) return undefined;
  const config = Object.fromEntries(Object.entries(serialized.config ?? {}).filter(([k, v]) => k !== 'dtype' && v !== null).map(([k, v]) => [toCamelCase(k), v]));
  const made = cls.fromConfig ? cls.fromConfig(config) : new (cls as unknown as new (c: Record<string, unknown>) => unknown)(config);
  return isKind(made) ? made : undefined;
}

/**
 * Subclasses of `base` that declare no `className` (plain JavaScript, or TypeScript past the abstract
 * member) are named by their class, as in Keras; a subclass's own `className` field shadows this.
 */
export function classNameFromClass(base: { readonly prototype: object }): void {
  Object.defineProperty(base.prototype, 'className', {
    get(this: object): string {
      return this.constructor.name;
    },
    configurable: true,
  });
}

/** Names registered so far, for error messages. */
export function registeredNames(): string[] {
  return [...new Set([...byKey.values()].map((r) => r.registeredName))];
}
