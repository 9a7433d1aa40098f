import type { MatmulSpec } from '@strata/core';
import { ranges } from '../wasm/threads.ts';
import type { WasmRuntime } from '../wasm/runtime.ts';
import { runSplit } from '../wasm/runtime.ts';

/** assembly/matmul.ts's micro-tile: thread slices are cut on its edges. */
const MR = 4;
const NR = 8;
/**
 * Below this many FLOPs waking a worker costs more than it saves. bench/matmul.bench.ts, 128×512×10
 * (1.3 MFLOP): 0.11 ms on one thread, 0.06 ms on two.
 */
const PARALLEL_FLOPS = 1e6;
/** The index of gemm's `scratch` argument. */
const GEMM_SCRATCH_ARG = 15;

/**
 * out = epilogue(A · B) per the MatmulSpec contract, on the wasm heap (all arguments are byte pointers;
 * bias 0 = none). Each batch item is one packed GEMM (assembly/matmul.ts) split into chunks by
 * blocks of output columns (or rows, when there are more rows): every chunk packs the panels it reads.
 */
export function matmul(rt: WasmRuntime, a: number, b: number, bias: number, out: number, spec: MatmulSpec): void {
  const { batch, m, k, n, transA, transB } = spec;
  if (k === 0) return fillEpilogue(rt, bias, out, spec);
  const [aRow, aCol] = transA ? [1, m] : [k, 1];
  const [bRow, bCol] = transB ? [1, k] : [n, 1];
  const relu = spec.activation === 'relu' ? 1 : 0;
  const slices = 2 * m * n * k < PARALLEL_FLOPS ? [{ i0: 0, i1: m, j0: 0, j1: n }] : split(m, n, rt.threads.parts);
  for (let t = 0; t < batch; t++) {
    const aAt = a + 4 * (spec.batchA === 1 ? 0 : t) * m * k;
    const bAt = b + 4 * (spec.batchB === 1 ? 0 : t) * k * n;
    const cAt = out + 4 * t * m * n;
    // the last argument, the packing scratch, is the caller's; a worker running a chunk puts its own there
    const argLists = slices.map(({ i0, i1, j0, j1 }) => [aAt, aRow, aCol, bAt, bRow, bCol, cAt, n, bias, relu, i0, i1, j0, j1, k, rt.gemmScratch[0]]);
    runSplit(rt, 'gemm', argLists, GEMM_SCRATCH_ARG);
  }
}

/** Equal slices of the longer output side, on micro-tile edges; fewer when the side is short. */
function split(m: number, n: number, parts: number): { i0: number; i1: number; j0: number; j1: number }[] {
  if (n >= m) return ranges(n, parts, NR).map(([j0, j1]) => ({ i0: 0, i1: m, j0, j1 }));
  return ranges(m, parts, MR).map(([i0, i1]) => ({ i0, i1, j0: 0, j1: n }));
}

/** k = 0: every output row is the bias (or zeros), then the activation. */
function fillEpilogue(rt: WasmRuntime, bias: number, out: number, spec: MatmulSpec): void {
  const { buffer } = rt.heap.memory;
  const rows = spec.batch * spec.m;
  const c = new Float32Array(buffer, out, rows * spec.n);
  if (bias === 0) c.fill(0);
  else for (let r = 0; r < rows; r++) c.set(new Float32Array(buffer, bias, spec.n), r * spec.n);
  if (spec.activation === 'relu') for (let i = 0; i < c.length; i++) if (c[i] < 0) c[i] = 0;
}
