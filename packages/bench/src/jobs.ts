// What the comparison measures: one job per (framework backend, workload), each run in its own process.
import type { KernelResult } from './kernels.ts';
import type { ScalingPoint } from './scaling.ts';
import type { TrainingOptions, TrainingResult } from './training.ts';

export const BACKENDS = ['strata-cpu', 'strata-webgpu', 'tfjs-cpu', 'tfjs-wasm', 'tfjs-webgpu', 'torch-cpu'] as const;
export type BackendId = (typeof BACKENDS)[number];

export const WORKLOADS = ['training', 'kernels', 'convnet', 'lstm', 'contended', 'scaling'] as const;
export type Workload = (typeof WORKLOADS)[number];

/**
 * The workloads that time epochs of one network: `training` is the book's MNIST network, `contended` the same
 * network with one core kept busy (and without, beside it).
 */
export type TrainingWorkload = Exclude<Workload, 'kernels' | 'scaling'>;
export const isTraining = (w: Workload): w is TrainingWorkload => w !== 'kernels' && w !== 'scaling';
/** The networks the training workloads train (`contended` trains the book's). */
export type Network = Exclude<TrainingWorkload, 'contended'>;
export const networkOf = (w: TrainingWorkload): Network => (w === 'contended' ? 'training' : w);

/** The backends a workload compares, where not all of them (`--backends` narrows these further). */
export const WORKLOAD_BACKENDS: Partial<Record<Workload, readonly BackendId[]>> = {
  contended: ['strata-cpu', 'tfjs-wasm', 'torch-cpu'],
  scaling: ['strata-cpu', 'strata-webgpu', 'tfjs-wasm', 'torch-cpu'],
};

/** The book's workloads, which PyTorch's book.py measures in one process. */
export const BOOK_WORKLOADS: readonly Workload[] = ['training', 'kernels'];

export interface Job {
  readonly backend: BackendId;
  readonly workload: Workload;
  readonly training: TrainingOptions;
  readonly runs: number;
  /** Run with one core kept busy by a spinning process (the contended workload's second job per backend). */
  readonly spin?: boolean;
}

export interface JobOutput {
  readonly training?: TrainingResult;
  readonly kernels?: KernelResult[];
  readonly scaling?: ScalingPoint[];
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
