/**
 * Ad-hoc measurement (not a test): GFLOP/s of the matmul kernels on the default device (quad kernel where
 * subgroups are 4 lanes) and on one without subgroups (tiled kernel), interleaved in one process (the median
 * of ROUNDS), against a naive one-thread-per-output baseline (kept only here; non-transposed shapes), and
 * GB/s of a 1M-element add. SHAPES: JSON [[m, k, n, flags?]], flags a string of A (transA), B (transB),
 * b (bias), r (relu). Run:
 *   npx esbuild packages/backend-webgpu/bench/matmul.ts --bundle --platform=node --format=esm \
 *     --outfile=packages/backend-webgpu/.bench.mjs && VK_ICD_FILENAMES=... node packages/backend-webgpu/.bench.mjs
 */
import type { DataRef, TensorInfo } from '../../core/src/backend.ts';
import { getGpu } from '../src/device.ts';
import { createWebGpuBackend, GpuRef, type WebGpuBackend } from '../src/index.ts';

const NAIVE = `
struct P { m: u32, n: u32, k: u32 }
@group(0) @binding(0) var<uniform> p: P;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read_write> c: array<f32>;
@compute @workgroup_size(16, 16)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  if (g.x >= p.n || g.y >= p.m) { return; }
  var acc = 0.0;
  for (var i = 0u; i < p.k; i++) { acc += a[g.y * p.k + i] * b[i * p.n + g.x]; }
  c[g.y * p.n + g.x] = acc;
}`;

function info(ref: DataRef, shape: number[]): TensorInfo {
  return { ref, shape, dtype: 'float32' };
}

/** Seconds per call of `run`, after a warm-up, timing `reps` calls and one read. */
async function time(backend: WebGpuBackend, reps: number, run: () => DataRef, shape: number[]): Promise<number> {
  backend.release(run());
  await backend.read(info(run(), shape));
  const t0 = performance.now();
  let last: DataRef | undefined;
  for (let i = 0; i < reps; i++) {
    if (last) backend.release(last);
    last = run();
  }
  await backend.read(info(last!, shape));
  return (performance.now() - t0) / 1000 / reps;
}

function naive(backend: WebGpuBackend, a: DataRef, b: DataRef, m: number, k: number, n: number): () => DataRef {
  const device = backend.device;
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module: device.createShaderModule({ code: NAIVE }), entryPoint: 'main' } });
  const params = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(params, 0, new Uint32Array([m, n, k, 0]));
  return () => {
    const out = backend.fill([m, n], 0, 'float32') as GpuRef;
    backend.flush();
    const bind = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [params, (a as GpuRef).buffer, (b as GpuRef).buffer, out.buffer].map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(Math.ceil(n / 16), Math.ceil(m / 16));
    pass.end();
    device.queue.submit([encoder.finish()]);
    return out;
  };
}

const backend = await createWebGpuBackend();
// The same adapter without subgroups: the tiled kernel.
const adapter = (await (await getGpu()).requestAdapter())!;
const tiledDevice = await adapter.requestDevice({ requiredLimits: { maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize, maxBufferSize: adapter.limits.maxBufferSize } });
const tiled = await createWebGpuBackend({ device: tiledDevice });
// The MNIST MLP's training-step matmuls (batch 128, 784 → 512 relu → 10), then a square one.
const DEFAULT = [[784, 128, 512, 'A'], [128, 784, 512, 'br'], [128, 10, 512, 'B'], [512, 128, 10, 'A'], [128, 512, 10, 'b'], [1024, 1024, 1024]];
const rounds = Number(process.env.ROUNDS ?? 5);
const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[xs.length >> 1];
for (const [m, k, n, flags = ''] of (process.env.SHAPES ? JSON.parse(process.env.SHAPES) : DEFAULT) as [number, number, number, string?][]) {
  const spec = { batch: 1, batchA: 1, batchB: 1, m, k, n, transA: flags.includes('A'), transB: flags.includes('B'), activation: flags.includes('r') ? ('relu' as const) : undefined };
  const aShape = spec.transA ? [k, m] : [m, k];
  const bShape = spec.transB ? [n, k] : [k, n];
  const aData = Float32Array.from({ length: m * k }, () => Math.random() - 0.5);
  const bData = Float32Array.from({ length: k * n }, () => Math.random() - 0.5);
  const biasData = Float32Array.from({ length: n }, () => Math.random() - 0.5);
  const reps = Math.max(1, Math.round(1e8 / (m * k * n)));
  const flop = 2 * m * k * n;
  const runs = [backend, tiled].map((be) => {
    const a = be.upload(aData, aShape, 'float32');
    const b = be.upload(bData, bShape, 'float32');
    const bias = flags.includes('b') ? info(be.upload(biasData, [n], 'float32'), [n]) : undefined;
    return { be, run: () => be.matmul(info(a, aShape), info(b, bShape), { ...spec, bias }), a, b, times: [] as number[] };
  });
  const naiveRun = spec.transA || spec.transB || m * k * n > 1e8 ? undefined : { be: backend, run: naive(backend, runs[0].a, runs[0].b, m, k, n), times: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    for (const x of [...runs, ...(naiveRun ? [naiveRun] : [])]) x.times.push(await time(x.be, reps, x.run, [m, n]));
  }
  const rate = (times: number[]) => `${(flop / median(times) / 1e9).toFixed(2)} GFLOP/s (${(median(times) * 1e3).toFixed(1)} ms)`;
  console.log(`matmul ${m}×${k}×${n}${flags ? ` ${flags}` : ''}: default ${rate(runs[0].times)}, no subgroups ${rate(runs[1].times)}${naiveRun ? `, naive ${rate(naiveRun.times)}` : ''}`);
}
const size = 1 << 20;
const x = backend.upload(new Float32Array(size).fill(1), [size], 'float32');
const y = backend.upload(new Float32Array(size).fill(2), [size], 'float32');
const add = await time(backend, 50, () => backend.binary('add', info(x, [size]), info(y, [size]), [size]), [size]);
console.log(`add 1M float32: ${((3 * 4 * size) / add / 1e9).toFixed(2)} GB/s (${(add * 1e3).toFixed(2)} ms)`);
await backend.dispose();
await tiled.dispose();
