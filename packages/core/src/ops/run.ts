import type { Backend, DataRef } from '../backend.ts';
import { bytesPerElement, type DType } from '../dtype.ts';
import { engine } from '../engine.ts';
import { getBackend } from '../registry.ts';
import { sizeOf, type Shape } from '../shape.ts';
import { DataHandle, Tensor } from '../tensor.ts';
import type { GradOp } from '../autograd/grad-ops.ts';

/** Wrap a kernel's output as a tensor on `backend`. */
export function wrap(backend: Backend, ref: DataRef, shape: Shape, dtype: DType): Tensor {
  return new Tensor(new DataHandle(backend, ref, sizeOf(shape) * bytesPerElement(dtype)), shape, dtype);
}

/** The backend every input lives on (the active one when there are no inputs); mixing backends is an error. */
export function backendOf(op: string, inputs: readonly Tensor[]): Backend {
  const b = inputs.length ? inputs[0].backend : getBackend();
  for (const t of inputs) {
    t.assertAlive(`pass to ${op}`);
    if (t.backend !== b) {
      throw new Error(`${op}: inputs live on different backends (${b.name} and ${t.backend.name}); move them with tensor(await x.data(), x.shape) first`);
    }
  }
  return b;
}

/** Run a kernel and record it on the tape under `gradOp` (or as non-differentiable when null). */
export function run(
  op: string,
  gradOp: GradOp | null,
  inputs: readonly Tensor[],
  kernel: (b: Backend) => DataRef,
  shape: Shape,
  dtype: DType,
  attrs: Record<string, unknown> = {},
): Tensor {
  const b = backendOf(op, inputs);
  const out = wrap(b, kernel(b), shape, dtype);
  if (gradOp) engine.record(gradOp, inputs, out, attrs);
  else engine.recordBlocked(op, inputs);
  return out;
}

/** A new tensor sharing `x`'s storage under another shape (reshape without a copy). */
export function view(x: Tensor, shape: Shape): Tensor {
  x.assertAlive('reshape');
  x.handle.refCount++;
  const out = new Tensor(x.handle, shape, x.dtype);
  engine.record('reshape', [x], out, { shape: x.shape });
  return out;
}
