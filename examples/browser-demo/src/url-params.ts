// The page's URL parameters. A bad one is reported in words (the page shows them) and replaced by its
// default, so the rest of the page still starts.
import { BACKEND_NAMES, MODEL_KINDS, type BackendName, type ModelKind } from './protocol.ts';

export interface PageOptions {
  /** How many MNIST digits of each split to use. */
  readonly trainCount: number;
  readonly testCount: number;
  /** Undefined: the automatic choice (`ready()`). */
  readonly backend: BackendName | undefined;
  /** Makes a training run repeat exactly (initial weights and batch order; see `setRandomSeed`). */
  readonly seed: number | undefined;
  readonly model: ModelKind;
}

export function parseOptions(params: URLSearchParams): { options: PageOptions; errors: string[] } {
  const errors: string[] = [];
  const read = <T>(name: string, fallback: T, parse: (text: string) => T | undefined, expected: string): T => {
    const text = params.get(name);
    if (text === null) return fallback;
    const value = parse(text);
    if (value !== undefined) return value;
    errors.push(`URL parameter ${name}=${text}: expected ${expected}; using ${fallback === undefined ? 'the automatic choice' : String(fallback)} instead`);
    return fallback;
  };
  const count = (text: string): number | undefined => (/^\d+$/.test(text) && Number(text) >= 1 ? Number(text) : undefined);
  const oneOf = <T extends string>(choices: readonly T[]) => (text: string): T | undefined => choices.find((c) => c === text);
  const options: PageOptions = {
    trainCount: read('train', 60_000, count, 'a positive integer'),
    testCount: read('test', 10_000, count, 'a positive integer'),
    backend: read<BackendName | undefined>('backend', undefined, oneOf(BACKEND_NAMES), `one of ${BACKEND_NAMES.join(', ')}`),
    seed: read<number | undefined>('seed', undefined, (text) => (/^-?\d+$/.test(text) ? Number(text) : undefined), 'an integer'),
    model: read<ModelKind>('model', 'mlp', oneOf(MODEL_KINDS), `one of ${MODEL_KINDS.join(', ')}`),
  };
  return { options, errors };
}
