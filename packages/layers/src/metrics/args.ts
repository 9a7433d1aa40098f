/** Checks of metric constructor options; each error names the metric, the option, the value and what is valid. */

import { unknownOption } from '../identifiers.ts';

export { positiveInteger } from '../layers/window-args.ts';

/** The options object, with no keys but `known` (the closest valid name suggested). */
export function checkOptions<A>(metric: string, args: A, known: readonly string[]): A {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new Error(`${metric}: expected an options object, got ${args === null ? 'null' : Array.isArray(args) ? 'an array' : typeof args}`);
  const unknown = Object.keys(args).find((k) => !known.includes(k));
  if (unknown) throw new Error(`${metric}: ${unknownOption(unknown, known)}`);
  return args;
}

/** A threshold: a finite number in [0, 1]. */
export function threshold(metric: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) throw new Error(`${metric}: ${name} must be a number in [0, 1], got ${JSON.stringify(value)}`);
  return value;
}

/** One of `choices` (case as given). */
export function choice<T extends string>(metric: string, name: string, value: unknown, choices: readonly T[]): T {
  if (!choices.includes(value as T)) throw new Error(`${metric}: ${name} must be one of ${choices.map((c) => `'${c}'`).join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

/** A class index in [0, classes) when the metric knows its class count, else a non-negative integer. */
export function classIndex(metric: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) throw new Error(`${metric}: ${name} must be a non-negative integer class index, got ${JSON.stringify(value)}`);
  return value;
}
