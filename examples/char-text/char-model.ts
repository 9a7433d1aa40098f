// A character-level language model: Embedding → GRU → Dense(softmax) predicting the next character of a
// window of text, and a sampling loop that writes new text with `predict`. Shared by the example and its test.
import { Sequential, input, layers, tensor, tidy, type Tensor } from '@strata/layers';

/** The GNU GPL v3 as Debian ships it (package base-files, on every Debian system): 35 kB of English. */
export const DEFAULT_TEXT = '/usr/share/common-licenses/GPL-3';

export interface Corpus {
  /** The distinct characters, sorted; index 0 is left free (it is the padding index of `maskZero`). */
  chars: string[];
  /** Each character of the text as its index (1-based). */
  codes: Int32Array;
}

export function corpus(text: string): Corpus {
  const chars = [...new Set(text)].sort();
  const index = new Map(chars.map((c, i) => [c, i + 1]));
  return { chars, codes: Int32Array.from(text, (c) => index.get(c) as number) };
}

/** Windows of `steps` characters every `stride` characters (x: (n, steps) float32) and each next character (y: (n,) int32). */
export function windows({ codes }: Corpus, steps: number, stride: number): { x: Tensor; y: Tensor } {
  const starts = Array.from({ length: Math.floor((codes.length - steps - 1) / stride) + 1 }, (_, i) => i * stride);
  const x = new Float32Array(starts.length * steps);
  starts.forEach((s, i) => x.set(codes.subarray(s, s + steps), i * steps));
  return { x: tensor(x, [starts.length, steps]), y: tensor(Int32Array.from(starts, (s) => codes[s + steps]), [starts.length], 'int32') };
}

export function charModel(vocabulary: number, steps: number, units = 128): Sequential {
  const model = new Sequential([
    input({ shape: [steps] }),
    layers.embedding({ inputDim: vocabulary + 1, outputDim: 32, maskZero: true }),
    layers.gru({ units }),
    layers.dense({ units: vocabulary + 1, activation: 'softmax' }),
  ]);
  model.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return model;
}

/** Index drawn from `probabilities` sharpened by `temperature` (p^(1/t), renormalized); `random` gives U[0, 1). */
export function sample(probabilities: ArrayLike<number>, temperature: number, random: () => number): number {
  const weights = Array.from(probabilities, (p, i) => (i === 0 ? 0 : Math.pow(Math.max(p, 1e-12), 1 / temperature)));
  let u = random() * weights.reduce((a, b) => a + b, 0);
  for (let i = 1; i < weights.length; i++) if ((u -= weights[i]) < 0) return i;
  return weights.length - 1;
}

/**
 * `length` new characters after `seed` (padded on the left with index 0, which the model masks): each
 * step predicts the next character's distribution for the last `steps` characters and samples from it.
 */
export async function generate(model: Sequential, { chars }: Corpus, seed: string, length: number, temperature: number, random: () => number): Promise<string> {
  const steps = model.inputs[0].shape[1] as number;
  const index = new Map(chars.map((c, i) => [c, i + 1]));
  const codes = Array.from(seed, (c) => index.get(c) ?? 0);
  let out = '';
  for (let n = 0; n < length; n++) {
    const window = codes.slice(-steps);
    const padded = [...Array.from({ length: steps - window.length }, () => 0), ...window];
    const probabilities = tidy(() => model.predict(tensor(padded, [1, steps])) as Tensor);
    const next = sample(await probabilities.data(), temperature, random);
    probabilities.dispose();
    codes.push(next);
    out += chars[next - 1];
  }
  return out;
}

/** A seeded uniform generator (mulberry32), so a run's samples repeat. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
