// One job in its own process (so its peak RSS is its own): `bench child '<job json>' <result file>`.
import { writeFileSync } from 'node:fs';
import type { BackendId, Job, JobOutput, TrainingWorkload } from './jobs.ts';
import { timeKernels } from './kernels.ts';
import { mapAsyncProbe, opTimeProbe } from './strata-probes.ts';
import { strataKernels } from './strata-kernels.ts';
import { strataTrainer, type StrataBackend } from './strata-training.ts';
import { tfjsKernels } from './tfjs-kernels.ts';
import type { TfjsBackend } from './tfjs-setup.ts';
import { tfjsTrainer } from './tfjs-training.ts';
import { timeTraining, type TrainingOptions, type TrainingResult } from './training.ts';

async function strataTraining(backend: StrataBackend, workload: TrainingWorkload, opts: TrainingOptions): Promise<TrainingResult> {
  // mapAsync is counted on WebGPU; op times only mean something where ops are synchronous (the CPU).
  const mapAsync = backend === 'webgpu' ? await mapAsyncProbe() : undefined;
  const trainer = await strataTrainer(backend, workload);
  return timeTraining(trainer, opts, mapAsync ?? opTimeProbe());
}

const STRATA: Partial<Record<BackendId, StrataBackend>> = { 'strata-cpu': 'cpu', 'strata-webgpu': 'webgpu' };
const TFJS: Partial<Record<BackendId, TfjsBackend>> = { 'tfjs-cpu': 'cpu', 'tfjs-wasm': 'wasm', 'tfjs-webgpu': 'webgpu' };

async function runJob({ backend, workload, training, runs }: Job): Promise<Omit<JobOutput, 'peakRssMiB'>> {
  const [strata, tfjs] = [STRATA[backend], TFJS[backend]];
  if (strata) return workload === 'kernels' ? { kernels: await timeKernels(await strataKernels(strata), runs) } : { training: await strataTraining(strata, workload, training) };
  if (tfjs) return workload === 'kernels' ? { kernels: await timeKernels(await tfjsKernels(tfjs), runs) } : { training: await timeTraining(await tfjsTrainer(tfjs, workload), training) };
  throw new Error(`${backend}: run by the PyTorch script, not a Node child`);
}

export async function runChild(jobJson: string, resultFile: string): Promise<void> {
  const output = await runJob(JSON.parse(jobJson) as Job);
  const result: JobOutput = { ...output, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
  writeFileSync(resultFile, JSON.stringify(result));
}
