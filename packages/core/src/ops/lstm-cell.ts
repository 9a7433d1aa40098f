import { engine } from '../engine.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { mul, sigmoid, tanh } from './elementwise.ts';
import { fuse } from './fused.ts';
import { concat, slice } from './movement.ts';

/**
 * One step of Keras's LSTM cell update with its defaults (activation tanh, recurrent activation sigmoid)
 * from the joined gate pre-activations z [B, 4U] and the previous carry cPrev [B, U]:
 * c = σ(f)·cPrev + σ(i)·tanh(ĉ), h = σ(o)·tanh(c). The result is [h | c], shape [B, 2U]: one tape node
 * (the tape holds one output per node) whose rule gives dz and dcPrev in a few fused programs, instead of
 * the ~25 backward ops of the composed step.
 */
export function lstmCell(z: Tensor, cPrev: Tensor): Tensor {
  const [batch, width] = z.shape;
  if (z.rank !== 2 || cPrev.rank !== 2 || width % 4 !== 0 || cPrev.shape[0] !== batch || cPrev.shape[1] !== width / 4) {
    throw new Error(`lstmCell: z must be [batch, 4·units] and cPrev [batch, units]; got z ${formatShape(z.shape)} and cPrev ${formatShape(cPrev.shape)}`);
  }
  const { out, saved } = engine.untaped(() => {
    const u = width / 4;
    const part = (x: Tensor, k: number): Tensor => slice(x, [null, { start: k * u, stop: (k + 1) * u }]);
    // gates i, f, c, o (Keras's order): sigmoid over all four at once, tanh for the candidate
    const sig = sigmoid(z);
    const zc = part(z, 2);
    const [i, f, g, o] = [part(sig, 0), part(sig, 1), tanh(zc), part(sig, 3)];
    const c = fuse([f, cPrev, i, g], (f, cp, i, g) => f.mul(cp).add(i.mul(g)));
    const t = tanh(c);
    const h = mul(o, t);
    const hc = concat([h, c], 1);
    for (const x of [sig, zc, c, h]) x.dispose();
    return { out: hc, saved: [i, f, g, o, t] };
  });
  // The gate values and tanh(c) ride along as extra inputs of the node, so the tape keeps them for the
  // backward pass instead of the rule recomputing them (they depend on no variable: nothing flows to them).
  // Disposing them here frees them at once when no tape records, and at the tape's end when one does.
  engine.record('lstmCell', [z, cPrev, ...saved], out);
  for (const x of saved) x.dispose();
  return out;
}
