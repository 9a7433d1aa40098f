import { describe, expect, it } from 'vitest';
import { layers, mul, setBackend, sum, tensor, tidy, valueAndGrad, type Layer } from '../src/index.ts';
import { relDiff, values } from './helpers.ts';

/**
 * The two step paths of LSTM and GRU (resetAfter), core's lstmCell/gruCell (Keras's default activations)
 * and the composed ops (any other activation), against float64 loops: output and the tape's gradients for
 * x and every weight.
 */

const [B, T, F, U] = [2, 3, 2, 3];
const wave = (n: number, a: number, s: number): number[] => Array.from({ length: n }, (_, i) => s * Math.sin(i * a + 0.3));
const X = wave(B * T * F, 1.3, 1);
const R = wave(B * U, 0.7, 1); // the loss is Σ h_T · R
const LSTM_WEIGHTS = [wave(F * 4 * U, 0.9, 0.6), wave(U * 4 * U, 1.1, 0.5), wave(4 * U, 2.3, 0.4)];
const GRU_WEIGHTS = [wave(F * 3 * U, 0.9, 0.6), wave(U * 3 * U, 1.1, 0.5), wave(2 * 3 * U, 2.3, 0.4)];
type Act = (v: number) => number;

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
const ACT = { tanh: Math.tanh, relu: (v: number) => Math.max(v, 0) };

/** Row b, step t of x times `kernel` ([F, n]) plus `bias`, and h times `recurrent` ([U, n]) plus `rBias`. */
function products(x: number[], b: number, t: number, h: number[], [kernel, recurrent]: number[][], bias: number[], rBias: number[]): [number[], number[]] {
  const n = kernel.length / F;
  const xs = Array.from({ length: n }, (_, j) => bias[j] + Array.from({ length: F }, (_, k) => x[(b * T + t) * F + k] * kernel[k * n + j]).reduce((s, v) => s + v, 0));
  const hs = Array.from({ length: n }, (_, j) => rBias[j] + h.reduce((s, v, k) => s + v * recurrent[k * n + j], 0));
  return [xs, hs];
}

/** Σ h_T · R for Keras's LSTM (gates i, f, c, o) in float64. */
function lstmLoss(act: Act, x: number[], [kernel, recurrent, bias]: number[][]): number {
  let loss = 0;
  for (let b = 0; b < B; b++) {
    let h = new Array<number>(U).fill(0);
    let c = new Array<number>(U).fill(0);
    for (let t = 0; t < T; t++) {
      const [xs, hs] = products(x, b, t, h, [kernel, recurrent], bias, new Array<number>(4 * U).fill(0));
      const z = xs.map((v, j) => v + hs[j]);
      c = c.map((cj, j) => sigmoid(z[U + j]) * cj + sigmoid(z[j]) * act(z[2 * U + j]));
      h = c.map((cj, j) => sigmoid(z[3 * U + j]) * act(cj));
    }
    loss += h.reduce((s, v, j) => s + v * R[b * U + j], 0);
  }
  return loss;
}

/** Σ h_T · R for Keras 3's GRU (gates z, r, h; resetAfter: bias rows for the input and the recurrent side). */
function gruLoss(act: Act, x: number[], [kernel, recurrent, bias]: number[][]): number {
  let loss = 0;
  for (let b = 0; b < B; b++) {
    let h = new Array<number>(U).fill(0);
    for (let t = 0; t < T; t++) {
      const [xs, hs] = products(x, b, t, h, [kernel, recurrent], bias.slice(0, 3 * U), bias.slice(3 * U));
      h = h.map((hj, j) => {
        const z = sigmoid(xs[j] + hs[j]);
        const r = sigmoid(xs[U + j] + hs[U + j]);
        const hh = act(xs[2 * U + j] + r * hs[2 * U + j]);
        return z * hj + (1 - z) * hh;
      });
    }
    loss += h.reduce((s, v, j) => s + v * R[b * U + j], 0);
  }
  return loss;
}

type Loss = (act: Act, x: number[], weights: number[][]) => number;

/** d loss / d entry i of `which` (0: x, 1–3: kernel, recurrent kernel, bias) by central differences. */
function numeric(loss: Loss, act: Act, weights: number[][], which: number, i: number): number {
  const at = (d: number): number => {
    const all = [X, ...weights].map((a, k) => (k === which ? a.map((v, m) => (m === i ? v + d : v)) : a));
    return loss(act, all[0], all.slice(1));
  };
  return (at(1e-6) - at(-1e-6)) / 2e-6;
}

const CASES: [string, (activation: 'tanh' | 'relu') => Layer, Loss, number[][]][] = [
  ['LSTM', (activation) => layers.lstm({ units: U, activation }), lstmLoss, LSTM_WEIGHTS],
  ['GRU', (activation) => layers.gru({ units: U, activation }), gruLoss, GRU_WEIGHTS],
];

describe.each(['cpu', 'webgpu'] as const)('recurrent step paths on %s', (backend) => {
  it.each(CASES.flatMap(([name, make, loss, weights]) => (['tanh', 'relu'] as const).map((activation) => [name, activation, make, loss, weights] as const)))(
    '%s, activation %s: output and gradients match a float64 loop',
    async (name, activation, make, loss, weights) => {
      await setBackend(backend);
      const layer = make(activation);
      const x = tensor(X, [B, T, F]);
      const r = tensor(R, [B, U]);
      layer.apply(x).dispose();
      layer.weights.forEach((w, k) => tidy(() => w.assign(tensor(weights[k], w.shape))));
      const cell = name === 'LSTM' ? 'lstm_cell' : 'gru_cell';
      expect(layer.weights.map((w) => w.name)).toEqual([`${cell}/kernel`, `${cell}/recurrent_kernel`, `${cell}/bias`]);
      const { value, grads } = valueAndGrad(() => sum(mul(layer.apply(x), r)), [x, ...layer.trainableWeights]);
      const [got] = await values(value);
      expect(got).toBeCloseTo(loss(ACT[activation], X, weights), 4);
      for (const [k, g] of grads.entries()) {
        const expected = (k === 0 ? X : weights[k - 1]).map((_, i) => numeric(loss, ACT[activation], weights, k, i));
        expect(relDiff(await values(g), expected), `gradient ${k}`).toBeLessThan(1e-4);
      }
      for (const t of [value, ...grads, x, r]) t.dispose();
    },
  );
});
