import { describe, expect, it } from 'vitest';
import { layers, mul, setBackend, sum, tensor, tidy, valueAndGrad, type Layer } from '../src/index.ts';
import { relDiff, values } from './helpers.ts';

/**
 * LSTM's two step paths, core's lstmCell (Keras's default activations) and the composed ops (any other
 * activation), against the same float64 loop: output and the tape's gradients for x and every weight.
 */

const [B, T, F, U] = [2, 3, 2, 3];
const wave = (n: number, a: number, s: number): number[] => Array.from({ length: n }, (_, i) => s * Math.sin(i * a + 0.3));
const X = wave(B * T * F, 1.3, 1);
const R = wave(B * U, 0.7, 1); // the loss is Σ h_T · R
const WEIGHTS = [wave(F * 4 * U, 0.9, 0.6), wave(U * 4 * U, 1.1, 0.5), wave(4 * U, 2.3, 0.4)];

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const ACT = { tanh: Math.tanh, relu: (v: number) => Math.max(v, 0) };

/** Σ h_T · R for Keras's LSTM (gates i, f, c, o) in float64. */
function reference(act: (v: number) => number, x: number[], [kernel, recurrent, bias]: number[][]): number {
  let loss = 0;
  for (let b = 0; b < B; b++) {
    let h = new Array<number>(U).fill(0);
    let c = new Array<number>(U).fill(0);
    for (let t = 0; t < T; t++) {
      const z = Array.from({ length: 4 * U }, (_, j) => {
        let s = bias[j];
        for (let k = 0; k < F; k++) s += x[(b * T + t) * F + k] * kernel[k * 4 * U + j];
        for (let k = 0; k < U; k++) s += h[k] * recurrent[k * 4 * U + j];
        return s;
      });
      c = c.map((cj, j) => sigmoid(z[U + j]) * cj + sigmoid(z[j]) * act(z[2 * U + j]));
      h = c.map((cj, j) => sigmoid(z[3 * U + j]) * act(cj));
    }
    loss += h.reduce((s, v, j) => s + v * R[b * U + j], 0);
  }
  return loss;
}

/** d reference / d entry i of `which` (0: x, 1–3: kernel, recurrent kernel, bias) by central differences. */
function numeric(act: (v: number) => number, which: number, i: number): number {
  const at = (d: number): number => {
    const all = [X, ...WEIGHTS].map((a, k) => (k === which ? a.map((v, m) => (m === i ? v + d : v)) : a));
    return reference(act, all[0], all.slice(1));
  };
  return (at(1e-6) - at(-1e-6)) / 2e-6;
}

describe.each(['cpu', 'webgpu'] as const)('LSTM step paths on %s', (backend) => {
  it.each(['tanh', 'relu'] as const)('activation %s: output and gradients match a float64 loop', async (activation) => {
    await setBackend(backend);
    const layer: Layer = layers.lstm({ units: U, activation });
    const x = tensor(X, [B, T, F]);
    const r = tensor(R, [B, U]);
    layer.apply(x).dispose();
    layer.weights.forEach((w, k) => tidy(() => w.assign(tensor(WEIGHTS[k], w.shape))));
    expect(layer.weights.map((w) => w.name)).toEqual(['lstm_cell/kernel', 'lstm_cell/recurrent_kernel', 'lstm_cell/bias']);
    const { value, grads } = valueAndGrad(() => sum(mul(layer.apply(x), r)), [x, ...layer.trainableWeights]);
    const [loss] = await values(value);
    expect(loss).toBeCloseTo(reference(ACT[activation], X, WEIGHTS), 4);
    for (const [k, g] of grads.entries()) {
      const expected = (k === 0 ? X : WEIGHTS[k - 1]).map((_, i) => numeric(ACT[activation], k, i));
      expect(relDiff(await values(g), expected), `gradient ${k}`).toBeLessThan(1e-4);
    }
    for (const t of [value, ...grads, x, r]) t.dispose();
  });
});
