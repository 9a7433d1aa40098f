// `bench gpu [--out FILE] [--epochs N] [--samples N] [--sizes 1024,4096,8192] [--allow-software]`: the real-GPU run that
// scripts/gpu-bench.sh starts (issue 19). It refuses a software adapter (SwiftShader, llvmpipe, a fallback
// adapter) unless told otherwise, so a machine whose GPU driver Dawn cannot use never reports CPU figures
// as GPU ones. Then: matmul GFLOP/s at n³, the book's MNIST MLP and the book's convnet, each trained for
// `epochs` epochs from a fresh device (so the wall time includes every pipeline compile), with test accuracy.
import { writeFileSync } from 'node:fs';
import { disposeBackends, getBackend, matmul, setBackend, setRandomSeed, tensor } from '@strata/layers';
import { softwareAdapterName, type WebGpuBackend } from '@strata/backend-webgpu';
import { bookNetwork, firstSamples, prepare } from '../../../examples/mnist-mlp/book.ts';
import { bookConvnet, prepareImages } from '../../../examples/mnist-mlp/convnet.ts';
import { loadMnist } from './data.ts';
import { randomValues } from './kernels.ts';
import { describeMachine } from './machine.ts';
import { settle } from './strata-kernels.ts';

const USAGE = 'usage: bench gpu [--out FILE] [--epochs N] [--samples N] [--sizes N,N,…] [--allow-software]';

interface GpuOptions {
  out: string;
  epochs: number;
  /** Training images used (the first N of 60,000; test images: the first N of 10,000): fewer for a quick check of the script itself. */
  samples: number;
  sizes: number[];
  allowSoftware: boolean;
}

function parseGpuOptions(argv: readonly string[]): GpuOptions {
  const opts: GpuOptions = { out: 'gpu-bench-results.md', epochs: 5, samples: 60000, sizes: [1024, 4096, 8192], allowSoftware: false };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    if (flag === '--allow-software') {
      opts.allowSoftware = true;
      continue;
    }
    const value = argv[++i];
    if (value === undefined) throw new Error(`${flag}: missing value\n${USAGE}`);
    if (flag === '--out') opts.out = value;
    else if (flag === '--epochs') opts.epochs = positiveInteger(flag, value);
    else if (flag === '--samples') opts.samples = positiveInteger(flag, value);
    else if (flag === '--sizes') opts.sizes = value.split(',').map((s) => positiveInteger(flag, s));
    else throw new Error(`unknown option ${flag}\n${USAGE}`);
  }
  return opts;
}

function positiveInteger(flag: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} takes positive integers, got ${value}\n${USAGE}`);
  return n;
}

/** The adapter as the device reports it: "vendor architecture (description)". */
function adapterName(info: GPUAdapterInfo): string {
  return [info.vendor, info.architecture, info.device].filter(Boolean).join(' ') + (info.description ? ` (${info.description})` : '');
}

/** GFLOP/s of an n×n×n matmul: repeated until 1 s has passed, timed to the read of the last result. */
async function matmulRate(n: number): Promise<number> {
  const a = tensor(randomValues(n * n), [n, n]);
  const b = tensor(randomValues(n * n), [n, n]);
  const warm = matmul(a, b);
  await settle(warm);
  warm.dispose();
  let reps = 0;
  const start = performance.now();
  while (performance.now() - start < 1000) {
    const c = matmul(a, b);
    await settle(c);
    c.dispose();
    reps++;
  }
  const seconds = (performance.now() - start) / 1000;
  a.dispose();
  b.dispose();
  return (2 * n ** 3 * reps) / seconds / 1e9;
}

interface TrainingRun {
  readonly name: string;
  readonly seconds: number;
  readonly testAccuracy: number;
}

async function train(name: string, model: 'mlp' | 'convnet', epochs: number, samples: number): Promise<TrainingRun> {
  setRandomSeed(0);
  const [trainSplit, testSplit] = loadMnist();
  const prep = model === 'mlp' ? prepare : prepareImages;
  const [trainData, testData] = [prep(firstSamples(trainSplit, samples)), prep(firstSamples(testSplit, Math.min(samples, 10000)))];
  const network = model === 'mlp' ? bookNetwork() : bookConvnet();
  const start = performance.now();
  await network.fit(trainData.x, trainData.y, { epochs, batchSize: model === 'mlp' ? 128 : 64, verbose: 0 });
  const seconds = (performance.now() - start) / 1000;
  const [, testAccuracy] = (await network.evaluate(testData.x, testData.y, { verbose: 0 })) as number[];
  for (const t of [trainData.x, trainData.y, testData.x, testData.y]) t.dispose();
  network.dispose();
  console.log(`${name}: ${epochs} epochs in ${seconds.toFixed(2)} s, test accuracy ${testAccuracy.toFixed(4)}`);
  return { name, seconds, testAccuracy };
}

export async function runGpu(argv: readonly string[]): Promise<void> {
  const opts = parseGpuOptions(argv);
  const machine = describeMachine();
  // each section starts a fresh device, so its first steps pay for their pipeline compiles
  const fresh = async (): Promise<string> => {
    await disposeBackends();
    await setBackend('webgpu');
    const info = (getBackend() as WebGpuBackend).device.adapterInfo;
    const software = softwareAdapterName(info);
    if (software && !opts.allowSoftware) {
      throw new Error(`bench gpu: Dawn picked the software adapter "${software}", not a GPU: install the GPU's Vulkan driver (on NVIDIA: the driver's Vulkan ICD, and libvulkan1), or pass --allow-software to measure it anyway`);
    }
    return adapterName(info);
  };
  const adapter = await fresh();
  console.log(`adapter: ${adapter}`);
  const rates: [number, number][] = [];
  for (const n of opts.sizes) {
    const rate = await matmulRate(n);
    console.log(`matmul ${n}³: ${rate.toFixed(1)} GFLOP/s`);
    rates.push([n, rate]);
  }
  await fresh();
  const mlp = await train("the book's MLP (batch 128)", 'mlp', opts.epochs, opts.samples);
  await fresh();
  const convnet = await train("the book's convnet (batch 64)", 'convnet', opts.epochs, opts.samples);
  await disposeBackends();

  const lines = [
    `# Strata on a GPU (\`scripts/gpu-bench.sh\`)`,
    '',
    `${machine.date} · adapter: **${adapter}** · host ${machine.cpu}, ${machine.cores} cores · ${machine.os} · Node ${machine.node}`,
    '',
    '| matmul | GFLOP/s |',
    '| --- | --- |',
    ...rates.map(([n, rate]) => `| ${n}×${n}×${n} | ${rate.toFixed(1)} |`),
    '',
    `| training (MNIST, ${opts.samples} images, ${opts.epochs} epochs, fresh device: compiles included) | seconds | test accuracy |`,
    '| --- | --- | --- |',
    ...[mlp, convnet].map((r) => `| ${r.name} | ${r.seconds.toFixed(2)} | ${r.testAccuracy.toFixed(4)} |`),
    '',
  ];
  writeFileSync(opts.out, lines.join('\n'));
  console.log(`results written to ${opts.out}`);
}
