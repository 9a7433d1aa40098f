import { Optimizer, type OptimizerConfig } from './optimizer.ts';
import { SGD, type SGDOptions } from './sgd.ts';
import { RMSprop, type RMSpropOptions } from './rmsprop.ts';
import { Adam, type AdamOptions } from './adam.ts';
import { AdamW, type AdamWOptions } from './adamw.ts';
import { Adagrad, type AdagradOptions } from './adagrad.ts';
import { Nadam, type NadamOptions } from './nadam.ts';
import { Adamax, type AdamaxOptions } from './adamax.ts';
import { Adadelta, type AdadeltaOptions } from './adadelta.ts';
import { Lion, type LionOptions } from './lion.ts';
import { Ftrl, type FtrlOptions } from './ftrl.ts';
import { deserialize as deserializeSchedule } from './schedules/index.ts';

export { Optimizer, SGD, RMSprop, Adam, AdamW, Adagrad, Nadam, Adamax, Adadelta, Lion, Ftrl };
export type { OptimizerConfig, SGDOptions, RMSpropOptions, AdamOptions, AdamWOptions, AdagradOptions, NadamOptions, AdamaxOptions, AdadeltaOptions, LionOptions, FtrlOptions };
export * as schedules from './schedules/index.ts';
export { LearningRateSchedule, ExponentialDecay, PiecewiseConstantDecay, PolynomialDecay, InverseTimeDecay, CosineDecay, CosineDecayRestarts, type LearningRate } from './schedules/index.ts';
export type { SlotSpec, Slots, StepInfo, Update, OptimizerKind } from './optimizer.ts';

/** A Keras-style serialized optimizer: the class name and its `getConfig()` (snake_case or camelCase keys). */
export interface SerializedOptimizer {
  className: string;
  config?: Record<string, unknown>;
}

export type OptimizerIdentifier = string | Optimizer | SerializedOptimizer;

/** Keras's names, matched case-insensitively (`'adam'`, `'Adam'`, `'RMSprop'`). */
const OPTIMIZERS: Readonly<Record<string, (options: Record<string, unknown>) => Optimizer>> = {
  sgd: (o) => new SGD(o as SGDOptions),
  rmsprop: (o) => new RMSprop(o as RMSpropOptions),
  adam: (o) => new Adam(o as AdamOptions),
  adamw: (o) => new AdamW(o as AdamWOptions),
  adagrad: (o) => new Adagrad(o as AdagradOptions),
  nadam: (o) => new Nadam(o as NadamOptions),
  adamax: (o) => new Adamax(o as AdamaxOptions),
  adadelta: (o) => new Adadelta(o as AdadeltaOptions),
  lion: (o) => new Lion(o as LionOptions),
  ftrl: (o) => new Ftrl(o as FtrlOptions),
};

/** Keras config entries Strata does not implement; accepted only at their "off" values. */
const KERAS_ONLY: Readonly<Record<string, unknown>> = {
  loss_scale_factor: null,
};

/** A config's `learning_rate` as Keras writes a schedule: `{module, class_name, config}`. */
const isSerializedSchedule = (v: unknown): v is { class_name: string; registered_name?: string | null; config?: Record<string, unknown> } => typeof v === 'object' && v !== null && 'class_name' in v;

function factory(name: string): (options: Record<string, unknown>) => Optimizer {
  const make = typeof name === 'string' ? OPTIMIZERS[name.toLowerCase()] : undefined;
  if (!make) throw new Error(`Unknown optimizer ${JSON.stringify(name)}; valid optimizers are ${Object.keys(OPTIMIZERS).join(', ')}`);
  return make;
}

/** `learning_rate` → `learningRate`, `beta_1` → `beta1`. */
const camelCase = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Keras's `optimizers.deserialize`: a new optimizer from `{className, config}` (a Keras `get_config()` works as is). */
export function deserialize(serialized: SerializedOptimizer): Optimizer {
  const make = factory(serialized.className);
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(serialized.config ?? {})) {
    if (key in KERAS_ONLY) {
      if (value !== KERAS_ONLY[key]) throw new Error(`${serialized.className}: the Keras option '${key}' is not supported (got ${JSON.stringify(value)}; only ${JSON.stringify(KERAS_ONLY[key])})`);
      continue;
    }
    options[camelCase(key)] = key === 'learning_rate' && isSerializedSchedule(value) ? deserializeSchedule(value) : value;
  }
  return make(options);
}

/** Keras's `optimizers.serialize`: `{className, config}` for `deserialize` (or Keras). */
export function serialize(optimizer: Optimizer): { className: string; config: OptimizerConfig } {
  return { className: optimizer.className, config: optimizer.getConfig() };
}

/**
 * Keras's `optimizers.get`: a name (`'sgd'`, `'rmsprop'`, `'adam'`, `'adamw'`, `'adagrad'`, `'nadam'`, `'adamax'`,
 * `'adadelta'`, `'lion'`, `'ftrl'`, any case) gives a
 * new optimizer with Keras's defaults; an Optimizer is returned as is; `{className, config}` is deserialized.
 */
export function get(identifier: OptimizerIdentifier): Optimizer {
  if (identifier instanceof Optimizer) return identifier;
  if (typeof identifier === 'string') return factory(identifier)({});
  if (identifier && typeof identifier === 'object' && 'className' in identifier) return deserialize(identifier);
  throw new Error(`Could not interpret optimizer identifier: ${String(identifier)}; pass a name (${Object.keys(OPTIMIZERS).join(', ')}), an Optimizer or {className, config}`);
}
