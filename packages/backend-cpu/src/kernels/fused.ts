import { broadcastShapes, shapesEqual } from '@strata/core';
import type {
  Backend, DataRef, FusedExpr, FusedProgram, TensorInfo, Shape,
} from '@strata/core';

/**
 * A fused program on the CPU: its nodes run as this backend's own element-wise kernels (wasm SIMD, which
 * already run near memory speed here), so the results are exactly those of the separate ops. The
 * intermediates are freed when the program is done.
 */
export function fusedByKernels(backend: Backend, inputs: readonly TensorInfo[], program: FusedProgram, outShape: Shape): DataRef {
  const temps: DataRef[] = [];
  const fresh = (ref: DataRef, shape: Shape): TensorInfo => {
    temps.push(ref);
    return { ref, shape, dtype: 'float32' };
  };
  const visit = (e: FusedExpr): TensorInfo => {
    if ('input' in e) return inputs[e.input];
    if ('constant' in e) return fresh(backend.upload(Float32Array.of(program.constants[e.constant]), [], 'float32'), []);
    if ('unary' in e) {
      const x = visit(e.x);
      return fresh(backend.unary(e.unary, x), x.shape);
    }
    const [a, b] = [visit(e.a), visit(e.b)];
    const shape = broadcastShapes('fused', a.shape, b.shape);
    return fresh(backend.binary(e.binary, a, b, shape), shape);
  };
  let root = visit(program.expr);
  if (!temps.includes(root.ref) || !shapesEqual(root.shape, outShape)) {
    // a bare input, or a program that never touches the full-size inputs: broadcast into a fresh output
    // (x · 1 keeps -0 and NaN as they are)
    const one = fresh(backend.fill([], 1, 'float32'), []);
    root = fresh(backend.binary('mul', root, one, outShape), outShape);
  }
  for (const ref of temps) if (ref !== root.ref) backend.release(ref);
  return root.ref;
}
