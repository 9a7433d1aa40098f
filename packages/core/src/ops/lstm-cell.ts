import { engine } from '../engine.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { sigmoid, tanh } from './elementwise.ts';
import { fuse } from './fused.ts';
import { concat, slice } from './movement.ts';

/** The four gates of z [B, 4U] (i, f, c, o, Keras's order) after their activations: sigmoid, and tanh for c. */
export function lstmGates(z: Tensor): { i: Tensor; f: Tensor; g: Tensor; o: Tensor; temps: Tensor[] } {
  const u = z.shape[1] / 4;
  const part = (t: Tensor, k: number): Tensor => slice(t, [null, { start: k * u, stop: (k + 1) * u }]);
  const sig = sigmoid(z);
  const zc = part(z, 2);
  const gates = { i: part(sig, 0), f: part(sig, 1), g: tanh(zc), o: part(sig, 3) };
  return { ...gates, temps: [sig, zc, ...Object.values(gates)] };
}

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
  const out = engine.untaped(() => {
    const { i, f, g, o, temps } = lstmGates(z);
    const c = fuse([f, cPrev, i, g], (f, cp, i, g) => f.mul(cp).add(i.mul(g)));
    const h = fuse([o, c], (o, c) => o.mul(c.tanh()));
    const hc = concat([h, c], 1);
    for (const t of [...temps, c, h]) t.dispose();
    return hc;
  });
  engine.record('lstmCell', [z, cPrev], out);
  return out;
}
