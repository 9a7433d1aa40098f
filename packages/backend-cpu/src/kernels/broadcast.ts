import { sizeOf, stridesOf, type Shape } from '@strata/core';

/**
 * numpy broadcasting by index math. The output is cut into `starts[j].length` runs of `length`
 * contiguous elements (run r starts at r * length); within a run operand j advances by `steps[j]`
 * (1, or 0 when broadcast along the innermost axis) from `starts[j][r]`.
 * Adjacent axes are merged wherever every operand allows it, so equal shapes and scalars give one run
 * and a trailing-suffix broadcast like (128,512)+(512,) gives 128 runs of 512.
 */
export interface BroadcastRuns {
  readonly length: number;
  readonly steps: readonly number[];
  readonly starts: readonly Int32Array[];
}

export function broadcastRuns(outShape: Shape, inShapes: readonly Shape[]): BroadcastRuns {
  const rank = outShape.length;
  const inStrides = inShapes.map((shape) => {
    const strides = stridesOf(shape);
    // Right-align against the output; a broadcast axis (size 1 or missing) has stride 0.
    return outShape.map((_, i) => {
      const axis = i - (rank - shape.length);
      return axis >= 0 && shape[axis] !== 1 ? strides[axis] : 0;
    });
  });
  // Coalesced axes, outermost first: size and per-operand stride.
  const sizes: number[] = [];
  const strides: number[][] = [];
  for (let i = 0; i < rank; i++) {
    if (outShape[i] === 1) continue;
    const s = inStrides.map((st) => st[i]);
    const last = sizes.length - 1;
    if (last >= 0 && strides[last].every((outer, j) => outer === s[j] * outShape[i])) {
      sizes[last] *= outShape[i];
      strides[last] = s;
    } else {
      sizes.push(outShape[i]);
      strides.push(s);
    }
  }
  const length = sizes.length > 0 ? sizes[sizes.length - 1] : 1;
  const steps = sizes.length > 0 ? strides[strides.length - 1] : inShapes.map(() => 0);
  const outer = sizes.slice(0, -1);
  const runs = sizeOf(outShape) === 0 ? 0 : sizeOf(outer);
  const starts = inShapes.map((_, j) => {
    const out = new Int32Array(runs);
    const index = new Array<number>(outer.length).fill(0);
    let offset = 0;
    for (let r = 0; r < runs; r++) {
      out[r] = offset;
      // Odometer over the outer axes, innermost fastest.
      for (let d = outer.length - 1; d >= 0; d--) {
        offset += strides[d][j];
        if (++index[d] < outer[d]) break;
        offset -= strides[d][j] * outer[d];
        index[d] = 0;
      }
    }
    return out;
  });
  return { length, steps, starts };
}
