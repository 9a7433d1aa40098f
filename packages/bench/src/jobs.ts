// What the comparison measures: one job per (framework backend, workload), each run in its own process.
import type { KernelResult } from './kernels.ts';
import type { TrainingOptions, TrainingResult } from './training.ts';

export const BACKENDS = ['strata-cpu', 'strata-webgpu', 'tfjs-cpu', 'tfjs-wasm', 'tfjs-webgpu', 'torch-cpu'] as const;
export type BackendId = (typeof BACKENDS)[number];

export const WORKLOADS = ['training', 'kernels', 'convnet', 'lstm'] as const;
export type Workload = (typeof WORKLOADS)[number];

/** The workloads that train a network (every one but `kernels`): `training` is the book's MNIST network. */
export type TrainingWorkload = Exclude<Workload, 'kernels'>;
export const isTraining = (w: Workload): w is TrainingWorkload => w !== 'kernels';

/** The book's workloads, which PyTorch's book.py measures in one process. */
export const BOOK_WORKLOADS: readonly Workload[] = ['training', 'kernels'];

export interface Job {
  readonly backend: BackendId;
  readonly workload: Workload;
  readonly training: TrainingOptions;
  readonly runs: number;
}

export interface JobOutput {
  readonly training?: TrainingResult;
  readonly kernels?: KernelResult[];
  /** Peak resident set size of the job's process, MiB. */
  readonly peakRssMiB: number;
}

/** A job's outcome as the report sees it: what it measured, or why it failed. */
export type JobOutcome = { readonly job: Job; readonly ok: true; readonly output: JobOutput } | { readonly job: Job; readonly ok: false; readonly error: string };

export const BACKEND_LABELS: Readonly<Record<BackendId, string>> = {
  'strata-cpu': 'Strata cpu',
  'strata-webgpu': 'Strata webgpu',
  'tfjs-cpu': 'tfjs cpu',
  'tfjs-wasm': 'tfjs wasm',
  'tfjs-webgpu': 'tfjs webgpu',
  'torch-cpu': 'PyTorch cpu',
};
