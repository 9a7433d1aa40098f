import { patchGeometry, type PatchSpec } from '@strata/core';
import type { WasmRuntime } from '../wasm/runtime.ts';
import { runSplit } from '../wasm/runtime.ts';
import { ranges } from '../wasm/threads.ts';

/**
 * Drivers of assembly/conv.ts: im2col split over threads by patch rows, col2im by image pixels (each thread
 * owns the pixels it writes, so the sums need no atomics and do not depend on the split).
 */

/** Below this many floats moved, waking a worker costs more than it saves (as for the element-wise kernels). */
const PARALLEL_ELEMENTS = 1 << 16;

function split(rt: WasmRuntime, items: number, elements: number): [number, number][] {
  return ranges(items, elements < PARALLEL_ELEMENTS ? 1 : rt.threads.parts, 1);
}

export function im2colWasm(rt: WasmRuntime, x: number, out: number, spec: PatchSpec, padValue: number): void {
  const rows = spec.batch * spec.outHeight * spec.outWidth;
  const padBits = new Int32Array(new Float32Array([padValue]).buffer)[0];
  const elements = rows * spec.kernelHeight * spec.kernelWidth * spec.channels;
  runSplit(rt, 'im2col', split(rt, rows, elements).map(([r0, r1]) => [x, out, r0, r1, ...patchGeometry(spec), padBits]));
}

export function col2imWasm(rt: WasmRuntime, cols: number, out: number, spec: PatchSpec): void {
  const pixels = spec.batch * spec.height * spec.width;
  const elements = spec.batch * spec.outHeight * spec.outWidth * spec.kernelHeight * spec.kernelWidth * spec.channels;
  runSplit(rt, 'col2im', split(rt, pixels, elements).map(([p0, p1]) => [cols, out, p0, p1, ...patchGeometry(spec)]));
}
