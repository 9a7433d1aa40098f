// Command-line options of the scale-out example.
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { DEFAULT_PYTHON } from './keras-leg.ts';
import { TRIP_MODELS } from './models.ts';

export interface ScaleOutOptions {
  backend: 'cpu' | 'webgpu' | 'auto';
  models: string[];
  distributions: ('data' | 'model')[];
  samples: number;
  epochs: number;
  seed: number;
  platform: 'cpu' | 'gpu';
  cpuDevices: number;
  python: string;
  dir: string;
}

const USAGE = `usage: main [--backend cpu|webgpu] [--models ${TRIP_MODELS.map((m) => m.name).join(',')}] [--distribution data,model]
            [--samples N] [--epochs N] [--seed N] [--platform cpu|gpu] [--cpu-devices N] [--python PATH] [--dir DIR]`;

function list<T extends string>(flag: string, value: string, valid: readonly T[]): T[] {
  const items = value.split(',');
  const bad = items.find((v) => !valid.includes(v as T));
  if (bad !== undefined) throw new Error(`${flag}: '${bad}' is not one of ${valid.join(', ')}`);
  return items as T[];
}

function count(flag: string, value: string, least: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < least) throw new Error(`${flag} must be an integer ≥ ${least}, got ${value}`);
  return n;
}

export function parseOptions(argv: readonly string[]): ScaleOutOptions {
  const opts: ScaleOutOptions = {
    backend: 'auto',
    // the convnet is slow on the CPU backend at the default sample count: asked for by name
    models: TRIP_MODELS.filter((m) => m.name !== 'convnet').map((m) => m.name),
    distributions: ['data', 'model'],
    samples: 10000,
    epochs: 1,
    seed: 0,
    platform: 'cpu',
    cpuDevices: 4,
    python: DEFAULT_PYTHON,
    dir: join(tmpdir(), 'strata-scale-out'),
  };
  const args = argv.filter((a) => a !== '--');
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[++i];
    if (value === undefined) throw new Error(`${flag}: missing value\n${USAGE}`);
    if (flag === '--backend') opts.backend = list(flag, value, ['cpu', 'webgpu'] as const)[0];
    else if (flag === '--models') opts.models = list(flag, value, TRIP_MODELS.map((m) => m.name));
    else if (flag === '--distribution') opts.distributions = list(flag, value, ['data', 'model'] as const);
    else if (flag === '--samples') opts.samples = count(flag, value, 1);
    else if (flag === '--epochs') opts.epochs = count(flag, value, 1);
    else if (flag === '--seed') opts.seed = count(flag, value, 0);
    else if (flag === '--platform') opts.platform = list(flag, value, ['cpu', 'gpu'] as const)[0];
    else if (flag === '--cpu-devices') opts.cpuDevices = count(flag, value, 1);
    else if (flag === '--python') opts.python = value;
    else if (flag === '--dir') opts.dir = value;
    else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return opts;
}
