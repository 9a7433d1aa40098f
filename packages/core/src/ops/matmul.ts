import { formatShape, sizeOf } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { mul } from './elementwise.ts';
import { reshape, transpose } from './movement.ts';
import { run } from './run.ts';

function requireFloat(op: string, ...xs: Tensor[]): void {
  for (const x of xs) if (x.dtype !== 'float32') throw new Error(`${op}: expected float32 operands, got ${x.dtype} (cast first)`);
}

/**
 * Batched matrix product of rank ≥ 2 tensors: [..., m, k] · [..., k, n] → [..., m, n], with transpose
 * flags applied to the last two axes. Batch axes must be equal, or one side has none (broadcast).
 */
export function matmul(a: Tensor, b: Tensor, transposeA = false, transposeB = false): Tensor {
  requireFloat('matmul', a, b);
  if (a.rank < 2 || b.rank < 2) throw new Error(`matmul: operands need rank ≥ 2, got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} (use dot for vectors)`);
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const [m, k] = transposeA ? [ac, ar] : [ar, ac];
  const [kb, n] = transposeB ? [bc, br] : [br, bc];
  const batchShapeA = a.shape.slice(0, -2);
  const batchShapeB = b.shape.slice(0, -2);
  const batchA = sizeOf(batchShapeA);
  const batchB = sizeOf(batchShapeB);
  const sameBatch = batchShapeA.length === batchShapeB.length && batchShapeA.every((d, i) => d === batchShapeB[i]);
  const flags = transposeA || transposeB ? ` (transposeA=${transposeA}, transposeB=${transposeB})` : '';
  if (k !== kb) throw new Error(`matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} are not aligned${flags}: ${k} != ${kb}`);
  if (!(sameBatch || batchA === 1 || batchB === 1)) {
    throw new Error(`matmul: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} have different batch axes ${formatShape(batchShapeA)} and ${formatShape(batchShapeB)}; they must be equal, or one side must have none`);
  }
  const batchShape = batchA >= batchB ? batchShapeA : batchShapeB;
  const batch = Math.max(batchA, batchB);
  const a3 = reshape(a, [batchA, ar, ac]);
  const b3 = reshape(b, [batchB, br, bc]);
  const spec = { batch, batchA, batchB, m, k, n, transA: transposeA, transB: transposeB };
  const out3 = run('matmul', 'matmul', [a3, b3], (be) => be.matmul(a3.info(), b3.info(), spec), [batch, m, n], 'float32', { transA: transposeA, transB: transposeB });
  const out = reshape(out3, [...batchShape, m, n]);
  for (const t of [a3, b3, out3]) t.dispose();
  return out;
}

/**
 * numpy `dot`: scalars multiply; vector·vector is the inner product; otherwise the last axis of `a` is
 * contracted with the second-to-last axis of `b` (the only axis when `b` is a vector).
 */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.rank === 0 || b.rank === 0) return mul(a, b);
  const ka = a.shape[a.rank - 1];
  const kb = b.rank === 1 ? b.shape[0] : b.shape[b.rank - 2];
  if (ka !== kb) throw new Error(`dot: shapes ${formatShape(a.shape)} and ${formatShape(b.shape)} are not aligned: ${ka} != ${kb}`);
  requireFloat('dot', a, b);
  const outShape = [...a.shape.slice(0, -1), ...(b.rank === 1 ? [] : [...b.shape.slice(0, -2), b.shape[b.rank - 1]])];
  const a2 = reshape(a, [-1, ka]);
  // b as a (k, rest) matrix: move its contracted axis to the front when it has batch axes
  const bFront = b.rank > 2 ? transpose(b, [b.rank - 2, ...b.shape.map((_, i) => i).filter((i) => i !== b.rank - 2)]) : b;
  const b2 = reshape(bFront, [kb, -1]);
  const product = matmul(a2, b2);
  const out = reshape(product, outShape);
  for (const t of [a2, b2, product]) t.dispose();
  if (bFront !== b) bFront.dispose();
  return out;
}
