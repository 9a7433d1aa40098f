// One job in its own process (so its peak RSS is its own): `bench child '<job json>' <result file>`.
import { writeFileSync } from 'node:fs';
import { networkOf, type BackendId, type Job, type JobOutput, type Network } from './jobs.ts';
import { timeKernels } from './kernels.ts';
import { timeScaling } from './scaling.ts';
import { mapAsyncProbe, opTimeProbe } from './strata-probes.ts';
import { strataKernels } from './strata-kernels.ts';
import { strataScaling } from './strata-scaling.ts';
import { strataTrainer, type StrataBackend } from './strata-training.ts';
import { tfjsKernels } from './tfjs-kernels.ts';
import { tfjsScaling } from './tfjs-scaling.ts';
import type { TfjsBackend } from './tfjs-setup.ts';
import { tfjsTrainer } from './tfjs-training.ts';
import { timeTraining, type TrainingOptions, type TrainingResult } from './training.ts';

async function strataTraining(backend: StrataBackend, workload: Network, opts: TrainingOptions): Promise<TrainingResult> {
  // mapAsync is counted on WebGPU; op times only mean something where ops are synchronous (the CPU).
  const mapAsync = backend === 'webgpu' ? await mapAsyncProbe() : undefined;
  const trainer = await strataTrainer(backend, workload);
  return timeTraining(trainer, opts, mapAsync ?? opTimeProbe());
}

const STRATA: Partial<Record<BackendId, StrataBackend>> = { 'strata-cpu': 'cpu', 'strata-webgpu': 'webgpu' };
const TFJS: Partial<Record<BackendId, TfjsBackend>> = { 'tfjs-cpu': 'cpu', 'tfjs-wasm': 'wasm', 'tfjs-webgpu': 'webgpu' };

async function runJob({ backend, workload, training, runs }: Job): Promise<Omit<JobOutput, 'peakRssMiB'>> {
  const [strata, tfjs] = [STRATA[backend], TFJS[backend]];
  if (strata) {
    if (workload === 'kernels') return { kernels: await timeKernels(await strataKernels(strata), runs) };
    if (workload === 'scaling') return { scaling: await timeScaling(await strataScaling(strata)) };
    return { training: await strataTraining(strata, networkOf(workload), training) };
  }
  if (tfjs) {
    if (workload === 'kernels') return { kernels: await timeKernels(await tfjsKernels(tfjs), runs) };
    if (workload === 'scaling') return { scaling: await timeScaling(await tfjsScaling(tfjs)) };
    return { training: await timeTraining(await tfjsTrainer(tfjs, networkOf(workload)), training) };
  }
  throw new Error(`${backend}: run by the PyTorch script, not a Node child`);
}

export async function runChild(jobJson: string, resultFile: string): Promise<void> {
  const output = await runJob(JSON.parse(jobJson) as Job);
  const result: JobOutput = { ...output, peakRssMiB: process.resourceUsage().maxRSS / 1024 };
  writeFileSync(resultFile, JSON.stringify(result));
}
