/**
 * Ad-hoc measurement (not a test): GFLOP/s of the tiled/skinny matmul kernels against a naive
 * one-thread-per-output baseline (kept only here), and GB/s of a 1M-element add. Run:
 *   npx esbuild packages/backend-webgpu/bench/matmul.ts --bundle --platform=node --format=esm \
 *     --external:webgpu --outfile=packages/backend-webgpu/.bench.mjs && VK_ICD_FILENAMES=... node packages/backend-webgpu/.bench.mjs
 */
import type { DataRef, TensorInfo } from '../../core/src/backend.ts';
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
for (const [m, k, n] of (process.env.SHAPES ? JSON.parse(process.env.SHAPES) : [[128, 784, 512], [128, 512, 10], [1024, 1024, 1024]])) {
  const a = backend.upload(Float32Array.from({ length: m * k }, () => Math.random() - 0.5), [m, k], 'float32');
  const b = backend.upload(Float32Array.from({ length: k * n }, () => Math.random() - 0.5), [k, n], 'float32');
  const spec = { batch: 1, batchA: 1, batchB: 1, m, k, n, transA: false, transB: false };
  const reps = m * k * n > 1e8 ? 2 : 10;
  const flop = 2 * m * k * n;
  const ours = await time(backend, reps, () => backend.matmul(info(a, [m, k]), info(b, [k, n]), spec), [m, n]);
  const base = await time(backend, reps, naive(backend, a, b, m, k, n), [m, n]);
  console.log(`matmul ${m}×${k}×${n}: ours ${(flop / ours / 1e9).toFixed(2)} GFLOP/s, naive ${(flop / base / 1e9).toFixed(2)} GFLOP/s`);
}
const size = 1 << 20;
const x = backend.upload(new Float32Array(size).fill(1), [size], 'float32');
const y = backend.upload(new Float32Array(size).fill(2), [size], 'float32');
const add = await time(backend, 50, () => backend.binary('add', info(x, [size]), info(y, [size]), [size]), [size]);
console.log(`add 1M float32: ${((3 * 4 * size) / add / 1e9).toFixed(2)} GB/s (${(add * 1e3).toFixed(2)} ms)`);
await backend.dispose();
