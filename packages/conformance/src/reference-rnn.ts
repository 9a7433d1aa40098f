import { arr, type Arr } from './reference.ts';

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** Keras's LSTM cell update in float64: z [B, 4U] (gates i, f, c, o), cPrev [B, U] → [h | c], [B, 2U]. */
export function lstmCell(z: Arr, cPrev: Arr): Arr {
  const [batch, u] = cPrev.shape;
  const out: number[] = [];
  for (let b = 0; b < batch; b++) {
    const gate = (k: number, j: number): number => z.data[b * 4 * u + k * u + j];
    const c = Array.from({ length: u }, (_, j) => sigmoid(gate(1, j)) * cPrev.data[b * u + j] + sigmoid(gate(0, j)) * Math.tanh(gate(2, j)));
    const h = c.map((cj, j) => sigmoid(gate(3, j)) * Math.tanh(cj));
    out.push(...h, ...c);
  }
  return arr([batch, 2 * u], out);
}

/** Keras 3's GRU update (resetAfter) in float64: m [B, 4U] = [z, r, xh, hu] pre-activations, hPrev [B, U]. */
export function gruCell(m: Arr, hPrev: Arr): Arr {
  const [batch, u] = hPrev.shape;
  const out: number[] = [];
  for (let b = 0; b < batch; b++) {
    const part = (k: number, j: number): number => m.data[b * 4 * u + k * u + j];
    for (let j = 0; j < u; j++) {
      const hh = Math.tanh(part(2, j) + sigmoid(part(1, j)) * part(3, j));
      out.push(hh + sigmoid(part(0, j)) * (hPrev.data[b * u + j] - hh));
    }
  }
  return arr([batch, u], out);
}
