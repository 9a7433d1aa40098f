import { engine } from '../engine.ts';
import { formatShape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { sigmoid, tanh } from './elementwise.ts';
import { fuse } from './fused.ts';
import { slice } from './movement.ts';

/**
 * One step of Keras 3's GRU update (`resetAfter: true`, activation tanh, recurrent activation sigmoid)
 * from m [B, 4U], the joined matmul's [z, r, x·Wh + bh, h·Uh + bh'] pre-activations, and the previous
 * state hPrev [B, U]: hh = tanh(xh + σ(r)·hu), h = hh + σ(z)·(hPrev − hh). One tape node with its own
 * rule; the gate values z, r, hh (and hu) ride along as extra inputs so the backward pass reuses them.
 */
export function gruCell(m: Tensor, hPrev: Tensor): Tensor {
  const [batch, width] = m.shape;
  if (m.rank !== 2 || hPrev.rank !== 2 || width % 4 !== 0 || hPrev.shape[0] !== batch || hPrev.shape[1] !== width / 4) {
    throw new Error(`gruCell: m must be [batch, 4·units] and hPrev [batch, units]; got m ${formatShape(m.shape)} and hPrev ${formatShape(hPrev.shape)}`);
  }
  const u = width / 4;
  const { h, saved, temps } = engine.untaped(() => {
    const cols = (x: Tensor, start: number, stop: number): Tensor => slice(x, [null, { start, stop }]);
    const pre = cols(m, 0, 2 * u);
    const sig = sigmoid(pre);
    const [z, r, xh, hu] = [cols(sig, 0, u), cols(sig, u, 2 * u), cols(m, 2 * u, 3 * u), cols(m, 3 * u, 4 * u)];
    const a = fuse([xh, r, hu], (xh, r, hu) => xh.add(r.mul(hu)));
    const hh = tanh(a);
    const out = fuse([hh, z, hPrev], (hh, z, hp) => hh.add(z.mul(hp.sub(hh))));
    return { h: out, saved: [z, r, hh, hu], temps: [pre, sig, xh, a] };
  });
  for (const x of temps) x.dispose();
  // disposing the saved values frees them at once when no tape records, and at the tape's end when one does
  engine.record('gruCell', [m, hPrev, ...saved], h);
  for (const x of saved) x.dispose();
  return h;
}
