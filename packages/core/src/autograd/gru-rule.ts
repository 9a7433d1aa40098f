import type { TapeNode } from '../engine.ts';
import { mul } from '../ops/elementwise.ts';
import { fuse } from '../ops/fused.ts';
import { concat } from '../ops/movement.ts';
import type { Tensor } from '../tensor.ts';

/**
 * gruCell(m, hPrev) = hh + z·(hPrev − hh) with hh = tanh(xh + r·hu) (ops/gru-cell.ts; its node also holds
 * z, r, hh and hu): da = dh·(1 − z)·(1 − hh²) for a = xh + r·hu, and
 * dm = [dh·(hPrev − hh)·z(1−z), da·hu·r(1−r), da, da·r], dhPrev = dh·z.
 * Each fuse program uses only its inputs more than once (the CPU runs a program node by node).
 */
export function gruCellRule(dy: Tensor, node: TapeNode, needed: readonly boolean[]): (Tensor | null)[] {
  const [, hPrev, z, r, hh, hu] = node.inputs;
  const dPrev = needed[1] ? mul(dy, z) : null;
  if (!needed[0]) return [null, dPrev];
  const dz = fuse([dy, hPrev, hh, z], (dy, hp, hh, z) => dy.mul(hp.sub(hh)).mul(z.sub(z.mul(z))));
  const da = fuse([dy, z, hh], (dy, z, hh) => dy.sub(dy.mul(z)).mul(hh.mul(hh).neg().add(1)));
  const dr = fuse([da, hu, r], (da, hu, r) => da.mul(hu).mul(r.sub(r.mul(r))));
  return [concat([dz, dr, da, mul(da, r)], 1), dPrev];
}
