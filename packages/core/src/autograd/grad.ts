import { engine, tensorsIn, type Tape } from '../engine.ts';
import type { Tensor } from '../tensor.ts';
import { onesLike } from '../ops/create.ts';
import { add } from '../ops/elementwise.ts';
import { reshape } from '../ops/movement.ts';
import { RULES } from './rules.ts';

export interface ValueAndGrads {
  value: Tensor;
  grads: Tensor[];
}

function describeVar(v: Tensor, i: number): string {
  return 'name' in v && typeof v.name === 'string' ? `'${v.name}'` : `#${i} ${v.describe()}`;
}

/**
 * Reverse-mode gradients, in the spirit of TF's GradientTape: runs `f`, recording the ops that depend on
 * `xs`, then returns f's value and d(sum of value)/dx for each x. Intermediates are freed before return;
 * only the value and the gradients stay alive (and `xs`, which are never touched).
 */
export function valueAndGrad(f: () => Tensor, xs: readonly Tensor[]): ValueAndGrads {
  if (engine.tape) throw new Error('valueAndGrad: nested gradient tapes are not supported');
  if (!Array.isArray(xs) || xs.length === 0) throw new Error('valueAndGrad: pass a non-empty array of tensors to differentiate against');
  xs.forEach((x, i) => {
    x.assertAlive('differentiate against');
    if (x.dtype !== 'float32') throw new Error(`valueAndGrad: variable ${describeVar(x, i)} is ${x.dtype}; gradients need float32`);
  });
  const tape: Tape = { nodes: [], watched: new Set(xs.map((x) => x.id)), held: new Set(), deferred: new Set(), blocked: new Set() };
  engine.startScope();
  let value: Tensor | undefined;
  let grads: Tensor[] = [];
  let ok = false;
  try {
    engine.tape = tape;
    try {
      value = f();
    } finally {
      engine.tape = undefined;
    }
    if (!value || typeof value !== 'object' || !('shape' in value)) throw new Error('valueAndGrad: f must return a Tensor');
    if (value.dtype !== 'float32') throw new Error(`valueAndGrad: f returned a ${value.dtype} tensor; the value must be float32`);
    grads = backward(tape, value, xs);
    ok = true;
  } finally {
    // on failure nothing survives, not even the value
    engine.endScope(ok && value ? [value, ...grads] : []);
    const kept = new Set(tensorsIn(ok ? [value, grads] : []));
    for (const t of tape.deferred) if (!kept.has(t)) t.dispose();
  }
  return { value, grads };
}

/** Just the gradients of `f` with respect to `xs` (the value is disposed). */
export function grad(f: () => Tensor, xs: readonly Tensor[]): Tensor[] {
  const { value, grads } = valueAndGrad(f, xs);
  value.dispose();
  return grads;
}

function backward(tape: Tape, value: Tensor, xs: readonly Tensor[]): Tensor[] {
  const grads = new Map<number, Tensor>([[value.id, onesLike(value)]]);
  for (let i = tape.nodes.length - 1; i >= 0; i--) {
    const node = tape.nodes[i];
    const dy = grads.get(node.output.id);
    if (!dy) continue;
    const inputGrads = RULES[node.op](dy, node, node.inputs.map((input) => tape.watched.has(input.id)));
    node.inputs.forEach((input, j) => {
      const g = inputGrads[j];
      if (!g || !tape.watched.has(input.id)) return;
      const prev = grads.get(input.id);
      grads.set(input.id, prev ? add(prev, g) : g);
    });
  }
  const returned = new Set<Tensor>();
  return xs.map((x, i) => {
    const g = grads.get(x.id);
    if (g) {
      // each result must be disposable on its own: a gradient shared with another result gets its own view
      const own = returned.has(g) ? reshape(g, g.shape) : g;
      returned.add(own);
      return own;
    }
    const via = [...tape.blocked];
    throw new Error(
      via.length
        ? `valueAndGrad: no gradient reaches variable ${describeVar(x, i)}: it reaches the value only through non-differentiable ops (${via.join(', ')})`
        : `valueAndGrad: the value does not depend on variable ${describeVar(x, i)}, so it has no gradient`,
    );
  });
}
