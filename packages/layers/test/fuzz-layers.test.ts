import { afterAll, describe, expect, it } from 'vitest';
import { Rng } from '../../conformance/src/random-shapes.ts';
import { layers, setBackend, tensor, type Layer, type Tensor } from '../src/index.ts';

/**
 * Seeded fuzzing of the recurrent cells and the normalization layers, on CPU and WebGPU, against float64
 * references written here from Keras's equations (so independent of the layers' fused step code): random
 * batch, timesteps, features and units; returnSequences and goBackwards; LayerNormalization and
 * BatchNormalization (inference with random moving statistics, and training with batch statistics) on
 * random shapes with random gamma and beta. Case i uses seed i; `FUZZ_LAYERS_SEED=<seed>` replays one.
 */
const CASES = 48;
const REPLAY = process.env.FUZZ_LAYERS_SEED === undefined ? undefined : Number(process.env.FUZZ_LAYERS_SEED);
const TOLERANCE = 2e-5;

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));
/** Row vector `v` times a row-major [v.length, cols] matrix. */
const vecMat = (v: readonly number[], m: readonly number[], cols: number): number[] =>
  Array.from({ length: cols }, (_, j) => v.reduce((s, x, i) => s + x * m[i * cols + j], 0));

type Cell = 'simpleRNN' | 'lstm' | 'gru';

/** One step of a Keras cell on one sample: new [h] or [h, c]. W, U, bias as Keras stores them. */
function step(cell: Cell, x: number[], state: number[][], [W, U, b]: number[][], u: number): number[][] {
  const [h] = state;
  const gates = cell === 'simpleRNN' ? 1 : cell === 'lstm' ? 4 : 3;
  const xw = vecMat(x, W, gates * u);
  const hu = vecMat(h, U, gates * u);
  if (cell === 'simpleRNN') return [xw.map((v, j) => Math.tanh(v + hu[j] + b[j]))];
  if (cell === 'lstm') {
    const z = xw.map((v, j) => v + hu[j] + b[j]);
    const g = (k: number, j: number): number => z[k * u + j];
    const c = state[1].map((cj, j) => sigmoid(g(1, j)) * cj + sigmoid(g(0, j)) * Math.tanh(g(2, j)));
    return [c.map((cj, j) => sigmoid(g(3, j)) * Math.tanh(cj)), c];
  }
  // GRU, resetAfter (Keras 3's default): bias (2, 3u), input bias then recurrent bias
  const xi = (k: number, j: number): number => xw[k * u + j] + b[k * u + j];
  const hr = (k: number, j: number): number => hu[k * u + j] + b[3 * u + k * u + j];
  return [h.map((hj, j) => {
    const z = sigmoid(xi(0, j) + hr(0, j));
    const r = sigmoid(xi(1, j) + hr(1, j));
    return z * hj + (1 - z) * Math.tanh(xi(2, j) + r * hr(2, j));
  })];
}

interface FuzzCase {
  readonly label: string;
  readonly layer: Layer;
  readonly input: Tensor;
  readonly training: boolean;
  /** The float64 result from the layer's weights (read after it is built). */
  readonly reference: (weights: number[][]) => number[];
}

function recurrentCase(seed: number): FuzzCase {
  const r = new Rng(seed);
  const cell = (['simpleRNN', 'lstm', 'gru'] as const)[r.int(0, 2)];
  const [n, t, f, u] = [r.int(1, 3), r.int(1, 4), r.int(1, 3), r.int(1, 4)];
  const returnSequences = r.next() < 0.5;
  const goBackwards = r.next() < 0.3;
  const data = r.values(n * t * f);
  const layer = layers[cell]({ units: u, returnSequences, goBackwards });
  const reference = (weights: number[][]): number[] => {
    const out: number[] = [];
    for (let s = 0; s < n; s++) {
      let state = Array.from({ length: cell === 'lstm' ? 2 : 1 }, () => new Array<number>(u).fill(0));
      const outputs: number[][] = [];
      for (let k = 0; k < t; k++) {
        const at = goBackwards ? t - 1 - k : k;
        state = step(cell, data.slice((s * t + at) * f, (s * t + at + 1) * f), state, weights, u);
        outputs.push(state[0]);
      }
      out.push(...(returnSequences ? outputs.flat() : state[0]));
    }
    return out;
  };
  return { label: `seed ${seed}: ${cell}(units ${u}${returnSequences ? ', returnSequences' : ''}${goBackwards ? ', goBackwards' : ''}) on (${n},${t},${f})`, layer, input: tensor(data, [n, t, f]), training: false, reference };
}

function normalizationCase(seed: number): FuzzCase {
  const r = new Rng(seed);
  const rank = r.int(2, 4);
  const shape = Array.from({ length: rank }, () => r.int(1, 4));
  const c = shape[rank - 1];
  const rows = shape.reduce((a, b) => a * b, 1) / c;
  const data = r.values(rows * c, -3, 3);
  const epsilon = [1e-3, 1e-5, 0.1][r.int(0, 2)];
  const kind = r.int(0, 2); // LayerNormalization, BatchNormalization inference, BatchNormalization training
  const affine = (v: number[], gamma: number[], beta: number[]): number[] => v.map((x, i) => x * gamma[i % c] + beta[i % c]);
  if (kind === 0) {
    const layer = layers.layerNormalization({ epsilon });
    const reference = ([gamma, beta]: number[][]): number[] => {
      const out: number[] = [];
      for (let i = 0; i < rows; i++) {
        const row = data.slice(i * c, (i + 1) * c);
        const mean = row.reduce((a, b) => a + b, 0) / c;
        const variance = row.reduce((a, v) => a + (v - mean) ** 2, 0) / c;
        out.push(...row.map((v) => (v - mean) / Math.sqrt(variance + epsilon)));
      }
      return affine(out, gamma, beta);
    };
    return { label: `seed ${seed}: LayerNormalization(epsilon ${epsilon}) on (${shape})`, layer, input: tensor(data, shape), training: false, reference };
  }
  const training = kind === 2;
  const layer = layers.batchNormalization({ epsilon });
  const reference = ([gamma, beta, movingMean, movingVariance]: number[][]): number[] => {
    const column = (j: number): number[] => data.filter((_, i) => i % c === j);
    const mean = training ? Array.from({ length: c }, (_, j) => column(j).reduce((a, b) => a + b, 0) / rows) : movingMean;
    const variance = training ? mean.map((m, j) => column(j).reduce((a, v) => a + (v - m) ** 2, 0) / rows) : movingVariance;
    return affine(data.map((v, i) => (v - mean[i % c]) / Math.sqrt(variance[i % c] + epsilon)), gamma, beta);
  };
  return { label: `seed ${seed}: BatchNormalization(epsilon ${epsilon}, ${training ? 'training' : 'inference'}) on (${shape})`, layer, input: tensor(data, shape), training, reference };
}

/** Builds the layer, gives every weight random values (variances positive), runs it; the mismatch, if any. */
async function check(c: FuzzCase, seed: number): Promise<string | undefined> {
  c.layer.apply(c.input).dispose(); // builds it
  const r = new Rng(seed + 7919);
  const weights = c.layer.weights.map((w, i) => {
    const isVariance = c.layer.className === 'BatchNormalization' && i === 3;
    const values = r.values(w.size, isVariance ? 0.1 : -1, isVariance ? 2 : 1);
    const t = tensor(values, w.shape);
    w.assign(t);
    t.dispose();
    return values;
  });
  const out = c.layer.apply(c.input, { training: c.training }) as Tensor;
  const actual = Array.from(await out.data());
  out.dispose();
  const expected = c.reference(weights);
  if (actual.length !== expected.length) return `${c.label}: ${actual.length} values, expected ${expected.length}`;
  const worst = Math.max(0, ...actual.map((v, i) => Math.abs(v - expected[i]) / Math.max(1, Math.abs(expected[i]))));
  return worst <= TOLERANCE ? undefined : `${c.label}: largest relative difference ${worst.toExponential(2)}`;
}

describe.each(['cpu', 'webgpu'] as const)('fuzzed recurrent and normalization layers on %s', (backend) => {
  afterAll(() => setBackend('cpu'));

  it(`${REPLAY === undefined ? CASES : 1} cases of each family agree with the float64 references`, async () => {
    await setBackend(backend);
    const started = performance.now();
    const seeds = REPLAY === undefined ? Array.from({ length: CASES }, (_, i) => i + 1) : [REPLAY];
    const failures: string[] = [];
    for (const seed of seeds) {
      for (const draw of [recurrentCase, normalizationCase]) {
        const c = draw(seed);
        const problem = await check(c, seed);
        if (problem) failures.push(`${problem} (replay: FUZZ_LAYERS_SEED=${seed})`);
        c.input.dispose();
      }
    }
    console.log(`fuzz-layers on ${backend}: ${seeds.length * 2} cases in ${Math.round(performance.now() - started)} ms, ${failures.length} failed`);
    expect(failures.slice(0, 10).join('\n')).toBe('');
  });
});
