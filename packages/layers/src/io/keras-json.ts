/**
 * JSON for Keras: `JSON.stringify`, except that the config values Keras requires to be Python floats are
 * written with a decimal point. JavaScript has one number type, so `momentum: 0` would be written `0`,
 * which Python reads as an int, and Keras's constructors that check `isinstance(x, float)` refuse the
 * file (`SGD`: "`momentum` must be a float between [0, 1]"; an optimizer with `learning_rate: 1`;
 * `FBetaScore` with its default `beta: 1`).
 */

/** Float-only config keys by class name (checked against keras/src with `not isinstance(…, float)`). */
const FLOAT_KEYS: Readonly<Record<string, readonly string[]>> = {
  SGD: ['momentum'],
  FBetaScore: ['beta', 'threshold'],
  F1Score: ['threshold'],
};
/** Every optimizer's `learning_rate`, when it is a number (base_optimizer.py). */
const OPTIMIZER_FLOAT_KEYS = ['learning_rate'];

const TOKEN = '\uE000float:'; // a private-use character: stringify leaves it as it is

/** The config objects (Keras's `{ class_name, config }` entries) that hold float-only keys, and which keys. */
function floatKeys(value: unknown, found = new Map<object, readonly string[]>()): Map<object, readonly string[]> {
  if (Array.isArray(value)) {
    for (const item of value) floatKeys(item, found);
  } else if (value && typeof value === 'object') {
    const entry = value as { class_name?: unknown; module?: unknown; config?: unknown };
    if (typeof entry.class_name === 'string' && entry.config && typeof entry.config === 'object') {
      const keys = [...(FLOAT_KEYS[entry.class_name] ?? []), ...(entry.module === 'keras.optimizers' ? OPTIMIZER_FLOAT_KEYS : [])];
      if (keys.length) found.set(entry.config, keys);
    }
    for (const child of Object.values(value)) floatKeys(child, found);
  }
  return found;
}

export function kerasJson(value: unknown): string {
  const marked = floatKeys(value);
  const text = JSON.stringify(value, function (this: object, key: string, v: unknown) {
    return typeof v === 'number' && Number.isInteger(v) && marked.get(this)?.includes(key) ? `${TOKEN}${v}` : v;
  });
  return text.replace(new RegExp(`"${TOKEN}(-?\\d+)"`, 'g'), '$1.0');
}
