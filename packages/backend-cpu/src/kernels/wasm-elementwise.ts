import type { ReduceLayout } from '../../../core/src/backend.ts';
import type { Shape } from '../../../core/src/shape.ts';
import type { WasmRuntime } from '../wasm/runtime.ts';
import { broadcastRuns } from './broadcast.ts';

/**
 * Drivers of the float32 wasm kernels that need scratch (assembly/binary.ts, reduce.ts); pointers are byte
 * offsets of tensors on the wasm heap, op codes index BINARY_WASM_OPS. They run on the calling thread:
 * these ops are memory-bound, and splitting a 401k-element op across two workers measured slower
 * (0.30 ms against 0.20 ms) than one thread, the wake-up costing more than the halved loop saves.
 */

export function binaryWasm(rt: WasmRuntime, op: number, a: number, aShape: Shape, b: number, bShape: Shape, out: number, outShape: Shape): void {
  const { length, steps, starts } = broadcastRuns(outShape, [aShape, bShape]);
  const count = starts[0].length;
  // The runs' start offsets travel to wasm through a scratch block of the heap.
  const { ptr, capacity } = rt.heap.alloc(8 * count);
  const offsets = new Int32Array(rt.heap.memory.buffer, ptr, 2 * count);
  offsets.set(starts[0]);
  offsets.set(starts[1], count);
  rt.kernels.binaryF32(op, a, steps[0], ptr, b, steps[1], ptr + 4 * count, out, length, count);
  rt.heap.release(ptr, capacity);
}

export function sumWasm(rt: WasmRuntime, x: number, out: number, layout: ReduceLayout): void {
  const { ptr, capacity } = rt.heap.alloc(8 * layout.inner);
  rt.kernels.sumF32(x, out, layout.outer, layout.reduceSize, layout.inner, ptr);
  rt.heap.release(ptr, capacity);
}
