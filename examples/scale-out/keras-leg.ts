// The Python side of the trip: keras_leg.py in one Python process (JAX's start-up dominates), asked by
// JSON on stdin, answering JSON on stdout.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const module = dirname(fileURLToPath(import.meta.url));
/** This example's folder, from its sources or from the bundle in dist/. */
const here = existsSync(join(module, 'keras_leg.py')) ? module : dirname(module);
/** The venv `pnpm test` creates (scripts/test-setup.sh): Keras 3, JAX (CPU) and h5py. */
export const DEFAULT_PYTHON = resolve(here, '../../.venv-keras/bin/python');
const SCRIPT = join(here, 'keras_leg.py');

/** A .npy path for a one-input (one-output) model, else a record input (output) name → .npy path. */
export type NpyFiles = string | Record<string, string>;

export type DistributionKind = 'data' | 'model';

export interface KerasLegRequest {
  input: string;
  output: string;
  x: NpyFiles;
  y: NpyFiles;
  distribution: DistributionKind;
  /** The variable path whose layout is reported, and for 'model' sharded (e.g. `dense/kernel`). */
  shard: string;
  /** The rank of that variable: 'model' splits its last axis. */
  shardRank: number;
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  seed: number;
  /** Where the optimizer variables as loaded, and the weights and optimizer variables after training, go as .npy. */
  dump: string;
}

export interface WeightLayout {
  path: string;
  /** The partition spec: a mesh axis name per array axis, null where the axis is not split. */
  spec: (string | null)[];
  devices: number;
  shardShapes: number[][];
}

export interface KerasLegReport {
  distribution: 'DataParallel' | 'ModelParallel';
  mesh: { shape: number[]; axes: string[] };
  weight: WeightLayout;
  loadedIterations: number;
  lossBefore: number;
  history: number[];
  lossAfter: number;
  iterations: number;
}

export interface KerasReport {
  deviceCount: number;
  platform: string;
  legs: KerasLegReport[];
}

export interface KerasDevices {
  python: string;
  /** 'cpu': JAX's host platform split into `cpuDevices` devices; 'gpu': whatever accelerators JAX finds. */
  platform: 'cpu' | 'gpu';
  cpuDevices: number;
}

export const CPU_DEVICES: KerasDevices = { python: DEFAULT_PYTHON, platform: 'cpu', cpuDevices: 4 };

function environment(devices: KerasDevices): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, KERAS_BACKEND: 'jax' };
  if (devices.platform === 'gpu') return env;
  return { ...env, JAX_PLATFORMS: 'cpu', XLA_FLAGS: `--xla_force_host_platform_device_count=${devices.cpuDevices}` };
}

/** Every leg in one run of keras_leg.py. */
export function runKerasLegs(legs: readonly KerasLegRequest[], devices: KerasDevices = CPU_DEVICES): Promise<KerasReport> {
  return new Promise((done, fail) => {
    const child = spawn(devices.python, [SCRIPT], { env: environment(devices) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk));
    child.on('error', (error) => fail(new Error(`could not start ${devices.python} (Python with keras, jax and h5py; pnpm test creates .venv-keras): ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) done(JSON.parse(stdout) as KerasReport);
      else fail(new Error(`keras_leg.py exited with ${code}:\n${stderr.slice(-4000)}`));
    });
    child.stdin.end(JSON.stringify({ legs }));
  });
}
