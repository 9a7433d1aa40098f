import { Heap, MAX_PAGES } from './heap.ts';
import { PLAIN_RELAXED_WASM, PLAIN_WASM, SHARED_RELAXED_WASM, SHARED_WASM } from './kernels.generated.ts';
import { ThreadPool, hardwareThreads } from './threads.ts';
import { BOARD_BYTES, MAX_THREADS } from './worker-source.ts';

/** The exports of assembly/index.ts (pointers are byte offsets into the memory; booleans are 0/1). */
export interface WasmKernels {
  gemm(
    a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, c: number, ldc: number,
    bias: number, relu: number, i0: number, i1: number, j0: number, j1: number, k: number, scratch: number,
  ): void;
  binaryF32(op: number, a: number, aStep: number, aStarts: number, b: number, bStep: number, bStarts: number, o: number, length: number, count: number): void;
  unaryF32(op: number, x: number, o: number, length: number): void;
  reduceF32(op: number, x: number, out: number, outer: number, reduceSize: number, inner: number, acc: number): void;
  /** Geometry arguments (h … ow) in the order of core's `patchGeometry`. */
  im2col(x: number, cols: number, r0: number, r1: number, ...geometryAndPadBits: number[]): void;
  col2im(cols: number, dx: number, p0: number, p1: number, ...geometry: number[]): void;
  readonly GEMM_SCRATCH_BYTES: WebAssembly.Global;
}

/** Kernels a worker may run, by index (Job.fn). */
export const WORKER_FNS = ['gemm', 'binaryF32', 'unaryF32', 'im2col', 'col2im'] as const;
type WorkerFn = (typeof WORKER_FNS)[number];

/** The workers' board lives below the heap, from byte 64 on: address 0 stays a null pointer. */
const BOARD_AT = 64;
const HEAP_BASE = Math.ceil((BOARD_AT + BOARD_BYTES) / 64) * 64;
const INITIAL_PAGES = 256; // 16 MiB

/** Which build of the kernels runs: 'relaxed' (fused multiply-add in gemm) or the baseline 'simd'. */
export type SimdVariant = 'relaxed' | 'simd';

export interface WasmRuntime {
  readonly kernels: WasmKernels;
  readonly simd: SimdVariant;
  readonly heap: Heap;
  readonly threads: ThreadPool;
  /** `gemm` scratch of each thread (index 0: the calling thread; workers' are added as they start). */
  readonly gemmScratch: number[];
  /** Settles when the workers have started (or failed to); kernels run on one thread until then. */
  readonly threadsStarted: Promise<void>;
}

let runtime: WasmRuntime | undefined;

/**
 * The process-wide (per page) kernel runtime, shared by every CpuBackend: one memory, one heap, one pool.
 * Shared memory and workers where SharedArrayBuffer is available (Node; cross-origin-isolated pages),
 * otherwise an ordinary memory on one thread; the relaxed-SIMD build where the engine has it (simdVariant).
 * The module is compiled synchronously (browsers allow that on their main thread for any size since Chrome
 * 114, which also brought relaxed SIMD), so the backend is usable as soon as it is constructed.
 */
export function wasmRuntime(): WasmRuntime {
  if (runtime) return runtime;
  const shared = typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated !== false;
  const memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared });
  const simd = simdVariant(shared);
  const base64 = simd === 'relaxed' ? (shared ? SHARED_RELAXED_WASM : PLAIN_RELAXED_WASM) : shared ? SHARED_WASM : PLAIN_WASM;
  const module = new WebAssembly.Module(decodeBase64(base64));
  const kernels = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as WasmKernels;
  const heap = new Heap(memory, HEAP_BASE);
  const threads = new ThreadPool(memory, module, WORKER_FNS, BOARD_AT);
  const scratchBytes = kernels.GEMM_SCRATCH_BYTES.value as number;
  const gemmScratch = [heap.alloc(scratchBytes).ptr];
  const startWorkers = async (): Promise<void> => {
    const workers = Math.min((await hardwareThreads()) - 1, MAX_THREADS - 1);
    for (let w = 0; w < workers; w++) gemmScratch.push(heap.alloc(scratchBytes).ptr);
    await threads.start(workers);
  };
  // Without shared memory, or without a way to count cores, everything stays on this thread.
  const threadsStarted = shared ? startWorkers().catch(() => {}) : Promise.resolve();
  runtime = { kernels, simd, heap, threads, gemmScratch, threadsStarted };
  return runtime;
}

type NodeProcess = { env?: Record<string, string | undefined>; getBuiltinModule?: (id: string) => unknown };

/**
 * The relaxed-SIMD build where the engine validates it (browsers since Chrome 114), else the baseline.
 * Node 20 (V8 11.3) has relaxed SIMD behind a flag, which V8 takes at run time before a module using it
 * is compiled (worker threads started later see it too); `STRATA_CPU_SIMD=simd` keeps the baseline.
 */
export function simdVariant(shared: boolean): SimdVariant {
  const process = (globalThis as { process?: NodeProcess }).process;
  if (process?.env?.STRATA_CPU_SIMD === 'simd') return 'simd';
  const relaxed = decodeBase64(shared ? SHARED_RELAXED_WASM : PLAIN_RELAXED_WASM);
  if (WebAssembly.validate(relaxed)) return 'relaxed';
  const v8 = process?.getBuiltinModule?.('node:v8') as { setFlagsFromString(flags: string): void } | undefined;
  if (!v8) return 'simd';
  v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  return WebAssembly.validate(relaxed) ? 'relaxed' : 'simd';
}

/**
 * Calls kernel `name` once per argument list (chunk), shared out between this thread and the workers.
 * `threadArg`: the index of the argument that is each thread's own `gemm` scratch.
 */
export function runSplit(rt: WasmRuntime, name: WorkerFn, chunks: readonly (readonly number[])[], threadArg?: number): void {
  const kernel = rt.kernels[name] as (...args: number[]) => void;
  const job = { fn: WORKER_FNS.indexOf(name), chunks, threadArg, perThread: threadArg === undefined ? undefined : rt.gemmScratch };
  rt.threads.run(job, (args) => kernel(...args));
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
