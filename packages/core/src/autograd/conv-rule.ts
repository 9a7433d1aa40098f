import type { PatchSpec } from '../backend.ts';
import type { TapeNode } from '../engine.ts';
import { col2im, im2col } from '../ops/conv.ts';
import { greater, where } from '../ops/elementwise.ts';
import { matmul } from '../ops/matmul.ts';
import { reshape } from '../ops/movement.ts';
import { sum } from '../ops/reduce.ts';
import type { Tensor } from '../tensor.ts';

/** Rows of patches per slice of the weight gradient's contraction (see below). */
const ROWS_PER_SLICE = 2048;

/** The largest divisor of `batch` whose images hold at most ROWS_PER_SLICE patch rows (at least 1 image). */
function imagesPerSlice(batch: number, rowsPerImage: number): number {
  let best = 1;
  for (let d = 1; d <= batch; d++) if (batch % d === 0 && d * rowsPerImage <= ROWS_PER_SLICE) best = d;
  return best;
}

/**
 * conv2d (one group) as recorded by ops/conv.ts: y = act(im2col(x) · K + b). The patches are recomputed
 * rather than kept. dK = colsᵀ · dz contracts over every output pixel of the batch (43,264 rows for the
 * book's first layer) into a small [kh·kw·c, filters] result: one such product leaves most of a GPU idle
 * (and one CPU thread working), so it runs as a batched product over slices of images, summed.
 */
export function conv2dRule(dy: Tensor, node: TapeNode, needed: readonly boolean[]): (Tensor | null)[] {
  const [x, kernel, bias] = node.inputs;
  const { spec, activation } = node.attrs as { spec: PatchSpec; activation?: 'relu' };
  const [kh, kw, c, filters] = kernel.shape;
  const depth = kh * kw * c;
  const rowsPerImage = spec.outHeight * spec.outWidth;
  const rows = spec.batch * rowsPerImage;
  const dyRows = reshape(dy, [rows, filters]);
  const dz = activation === 'relu' ? where(greater(reshape(node.output, [rows, filters]), 0), dyRows, 0) : dyRows;
  const dx = needed[0] ? col2im(reshape(matmul(dz, reshape(kernel, [depth, filters]), false, true), [spec.batch, rowsPerImage, kh * kw, c]), spec) : null;
  const slices = spec.batch / imagesPerSlice(spec.batch, rowsPerImage);
  const cols = reshape(im2col(x, spec), [slices, rows / slices, depth]);
  const dk = reshape(sum(matmul(cols, reshape(dz, [slices, rows / slices, filters]), true, false), 0), kernel.shape);
  return bias ? [dx, dk, sum(dz, 0)] : [dx, dk];
}
