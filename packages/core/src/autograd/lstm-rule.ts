import type { TapeNode } from '../engine.ts';
import { mul } from '../ops/elementwise.ts';
import { fuse } from '../ops/fused.ts';
import { concat, slice } from '../ops/movement.ts';
import type { Tensor } from '../tensor.ts';

/**
 * lstmCell(z, cPrev) = [h | c] (ops/lstm-cell.ts), whose node also holds the gate values i, f, g, o and
 * t = tanh(c) from the forward pass: dc = dc_out + dh·o·(1 − t²), and through each gate's activation
 * dz = [dc·g·i(1−i), dc·cPrev·f(1−f), dc·i·(1−g²), dh·t·o(1−o)], dcPrev = dc·f.
 */
export function lstmCellRule(dy: Tensor, node: TapeNode, needed: readonly boolean[]): (Tensor | null)[] {
  const [, cPrev, i, f, g, o, t] = node.inputs;
  const u = cPrev.shape[1];
  const half = (x: Tensor, k: number): Tensor => slice(x, [null, { start: k * u, stop: (k + 1) * u }]);
  const [dh, dcOut] = [half(dy, 0), half(dy, 1)];
  // the CPU runs a fused program node by node, so a subexpression used twice would be computed twice:
  // each program below uses only its inputs more than once
  const dc = fuse([dcOut, dh, o, t], (dco, dh, o, t) => dco.add(dh.mul(o).mul(t.mul(t).neg().add(1))));
  const dPrev = needed[1] ? mul(dc, f) : null;
  if (!needed[0]) return [null, dPrev];
  // d·by·σ'(x) with σ' = s − s² from the gate's value s
  const sigmoidGrad = (d: Tensor, by: Tensor, s: Tensor): Tensor => fuse([d, by, s], (d, by, s) => d.mul(by).mul(s.sub(s.mul(s))));
  const di = sigmoidGrad(dc, g, i);
  const df = sigmoidGrad(dc, cPrev, f);
  const dg = fuse([dc, i, g], (dc, i, g) => dc.mul(i).mul(g.mul(g).neg().add(1)));
  const dout = sigmoidGrad(dh, t, o);
  return [concat([di, df, dg, dout], 1), dPrev];
}
