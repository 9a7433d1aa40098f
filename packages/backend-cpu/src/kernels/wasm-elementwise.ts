import { COMPARE_OPS, type ReduceLayout, type Shape } from '@strata/core';
import type { WasmRuntime } from '../wasm/runtime.ts';
import { runSplit } from '../wasm/runtime.ts';
import { BINARY_WASM_OPS } from '../wasm/ops.ts';
import { ranges } from '../wasm/threads.ts';
import { broadcastRuns } from './broadcast.ts';

/**
 * Drivers of the float32 wasm kernels (assembly/binary.ts, unary.ts, reduce.ts); pointers are byte offsets
 * of tensors on the wasm heap, op codes index the lists of wasm/ops.ts. Large ops are split over the
 * threads: they are memory-bound, and one core alone does not saturate the memory bandwidth.
 */

/** Below this many elements waking a worker costs more than the halved loop saves (bench/elementwise.bench.ts). */
const PARALLEL_ELEMENTS = 1 << 16;

/** Chunks to cut an op over `elements` values into (shared out between the threads). */
function partsFor(rt: WasmRuntime, elements: number): number {
  return elements < PARALLEL_ELEMENTS ? 1 : rt.threads.parts;
}

export function binaryWasm(rt: WasmRuntime, op: number, a: number, aShape: Shape, b: number, bShape: Shape, out: number, outShape: Shape): void {
  const { length, steps: [aStep, bStep], starts } = broadcastRuns(outShape, [aShape, bShape]);
  const count = starts[0].length;
  const outBytes = (COMPARE_OPS as readonly string[]).includes(BINARY_WASM_OPS[op]) ? 1 : 4;
  // The runs' start offsets travel to wasm through a scratch block of the heap.
  const { ptr, capacity } = rt.heap.alloc(8 * count);
  const offsets = new Int32Array(rt.heap.memory.buffer, ptr, 2 * count);
  offsets.set(starts[0]);
  offsets.set(starts[1], count);
  const [aStarts, bStarts] = [ptr, ptr + 4 * count];
  const parts = partsFor(rt, count * length);
  // One long run is cut along its length (on SIMD edges), many runs into groups of runs.
  const argLists = count === 1
    ? ranges(length, parts, 4).map(([t0, t1]) => [
      op, a + 4 * t0 * aStep, aStep, aStarts, b + 4 * t0 * bStep, bStep, bStarts, out + outBytes * t0, t1 - t0, 1,
    ])
    : ranges(count, parts, 1).map(([r0, r1]) => [
      op, a, aStep, aStarts + 4 * r0, b, bStep, bStarts + 4 * r0, out + outBytes * r0 * length, length, r1 - r0,
    ]);
  runSplit(rt, 'binaryF32', argLists);
  rt.heap.release(ptr, capacity);
}

export function unaryWasm(rt: WasmRuntime, op: number, x: number, out: number, length: number): void {
  runSplit(rt, 'unaryF32', ranges(length, partsFor(rt, length), 4).map(([t0, t1]) => [op, x + 4 * t0, out + 4 * t0, t1 - t0]));
}

export function reduceWasm(rt: WasmRuntime, op: number, x: number, out: number, layout: ReduceLayout): void {
  const { ptr, capacity } = rt.heap.alloc(8 * layout.inner);
  rt.kernels.reduceF32(op, x, out, layout.outer, layout.reduceSize, layout.inner, ptr);
  rt.heap.release(ptr, capacity);
}
