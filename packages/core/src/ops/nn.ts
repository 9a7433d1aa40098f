import { engine } from '../engine.ts';
import { formatShape, normalizeAxis } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { range } from './create.ts';
import { cast, div, equal, exp, sub } from './elementwise.ts';
import { expandDims } from './movement.ts';
import { logSumExp, max, sum } from './reduce.ts';
import { run } from './run.ts';

/** softmax along `axis` (default last), stable by max subtraction; one tape node with its own rule. */
export function softmax(x: Tensor, axis = -1): Tensor {
  const a = normalizeAxis('softmax', axis, x.rank);
  const y = engine.untaped(() => {
    if (x.shape[a] === 0) return exp(x); // an empty axis: an empty result (max over it has no identity)
    const m = max(x, a, true);
    const shifted = sub(x, m);
    const e = exp(shifted);
    const s = sum(e, a, true);
    const out = div(e, s);
    for (const t of [m, shifted, e, s]) t.dispose();
    return out;
  });
  engine.record('softmax', [x], y, { axis: a });
  return y;
}

/** log(softmax(x)) computed as x - logSumExp(x): finite even where softmax underflows. */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  const a = normalizeAxis('logSoftmax', axis, x.rank);
  const y = engine.untaped(() => {
    const l = logSumExp(x, a, true);
    const out = sub(x, l);
    l.dispose();
    return out;
  });
  engine.record('logSoftmax', [x], y, { axis: a });
  return y;
}

/** One-hot rows of `depth` float32 values for integer `indices` (any shape); out-of-range gives a zero row. */
export function oneHot(indices: Tensor, depth: number): Tensor {
  if (indices.dtype === 'float32' || indices.dtype === 'bool') throw new Error(`oneHot: indices must be int32 or uint8, got ${indices.dtype}`);
  if (!Number.isInteger(depth) || depth < 1) throw new Error(`oneHot: depth must be a positive integer, got ${depth}`);
  const classes = range(0, depth, 1, indices.dtype === 'uint8' ? 'int32' : indices.dtype);
  const column = expandDims(indices, -1);
  const hits = equal(column, classes);
  const out = cast(hits, 'float32');
  for (const t of [classes, column, hits]) t.dispose();
  return out;
}

/**
 * The fused dense layer: activation(x · w + bias), x [m, k], w [k, n], bias [n]. One kernel on backends
 * with an epilogue; its gradient rule matches the composed matmul → add → relu it replaces.
 */
export function dense(x: Tensor, w: Tensor, bias?: Tensor, activation?: 'relu'): Tensor {
  if (x.rank !== 2 || w.rank !== 2 || x.shape[1] !== w.shape[0]) {
    throw new Error(`dense: input ${formatShape(x.shape)} and kernel ${formatShape(w.shape)} are not aligned: expected input (batch, ${w.shape[0]})`);
  }
  if (bias && (bias.rank !== 1 || bias.shape[0] !== w.shape[1])) throw new Error(`dense: bias ${formatShape(bias.shape)} does not match ${w.shape[1]} units`);
  for (const t of [x, w, ...(bias ? [bias] : [])]) if (t.dtype !== 'float32') throw new Error(`dense: expected float32, got ${t.dtype}`);
  const [m, k] = x.shape;
  const n = w.shape[1];
  const spec = { batch: 1, batchA: 1, batchB: 1, m, k, n, transA: false, transB: false, bias: bias?.info(), activation };
  const inputs = bias ? [x, w, bias] : [x, w];
  return run('dense', 'dense', inputs, (b) => b.matmul(x.info(), w.info(), spec), [m, n], 'float32', { activation });
}

