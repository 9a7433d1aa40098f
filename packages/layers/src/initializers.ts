import { abs, clipByValue, fill, greater, mul, randomNormal as normalSamples, randomSeed, randomUniform as uniformSamples, standardNormal, tensor, tidy, where, type Shape, type Tensor } from '@strata/core';
import { lookup } from './identifiers.ts';

/**
 * Keras weight initializers. Each is seedable: with a seed every call gives the same values (as in
 * Keras 3), without one each call draws a fresh seed. `glorotNormal`/`heNormal` are truncated normals
 * (Keras's formula, stddev / .87962566103423978, cut at two stddevs); truncation is by resampling:
 * values outside ±2σ are redrawn up to 8 times, each round from an independent seed, and the ≈1e-12
 * fraction still outside is clipped. Everything stays on the device.
 */
export interface Initializer {
  readonly className: string;
  init(shape: Shape): Tensor;
  getConfig(): Record<string, number | string | null>;
}

export interface SeedArgs {
  seed?: number;
}

type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';

/** Keras `compute_fans`: a kernel [..receptive, in, out]. */
export function computeFans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0], fanOut: shape[0] };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[shape.length - 2] * receptive, fanOut: shape[shape.length - 1] * receptive };
}

const TRUNCATED_STDDEV_CORRECTION = 0.87962566103423978;
const RESAMPLE_ROUNDS = 8;

function seedFor(seed: number | undefined): number {
  return seed === undefined ? randomSeed() : seed >>> 0;
}

/** Standard normal samples truncated to [-2, 2] by resampling (see the module note), times `stddev`. */
export function truncatedNormal(shape: Shape, stddev: number, seed: number): Tensor {
  return tidy(() => {
    let z = normalSamples(shape, 0, 1, { seed });
    for (let round = 1; round <= RESAMPLE_ROUNDS; round++) {
      const redraw = normalSamples(shape, 0, 1, { seed: (seed + Math.imul(round, 0x9e3779b9)) >>> 0 });
      z = where(greater(abs(z), 2), redraw, z);
    }
    return mul(clipByValue(z, -2, 2), stddev);
  });
}

class VarianceScaling implements Initializer {
  constructor(
    readonly className: string,
    private readonly scale: number,
    private readonly mode: FanMode,
    private readonly distribution: 'truncatedNormal' | 'uniform',
    private readonly seed?: number,
  ) {}

  init(shape: Shape): Tensor {
    const { fanIn, fanOut } = computeFans(shape);
    const n = Math.max(1, this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2);
    const variance = this.scale / n;
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      return uniformSamples(shape, -limit, limit, { seed: seedFor(this.seed) });
    }
    return truncatedNormal(shape, Math.sqrt(variance) / TRUNCATED_STDDEV_CORRECTION, seedFor(this.seed));
  }

  getConfig(): Record<string, number | null> {
    return { seed: this.seed ?? null };
  }
}

class Constant implements Initializer {
  constructor(readonly className: string, private readonly value: number) {}
  init(shape: Shape): Tensor {
    return fill(shape, this.value);
  }
  getConfig(): Record<string, number> {
    return this.className === 'Constant' ? { value: this.value } : {};
  }
}

class RandomNormal implements Initializer {
  readonly className = 'RandomNormal';
  constructor(private readonly args: { mean?: number; stddev?: number; seed?: number } = {}) {}
  init(shape: Shape): Tensor {
    return normalSamples(shape, this.args.mean ?? 0, this.args.stddev ?? 0.05, { seed: seedFor(this.args.seed) });
  }
  getConfig(): Record<string, number | null> {
    return { mean: this.args.mean ?? 0, stddev: this.args.stddev ?? 0.05, seed: this.args.seed ?? null };
  }
}

class RandomUniform implements Initializer {
  readonly className = 'RandomUniform';
  constructor(private readonly args: { minval?: number; maxval?: number; seed?: number } = {}) {}
  init(shape: Shape): Tensor {
    return uniformSamples(shape, this.args.minval ?? -0.05, this.args.maxval ?? 0.05, { seed: seedFor(this.args.seed) });
  }
  getConfig(): Record<string, number | null> {
    return { minval: this.args.minval ?? -0.05, maxval: this.args.maxval ?? 0.05, seed: this.args.seed ?? null };
  }
}

/**
 * Keras's `Orthogonal`: a (rows = all axes but the last, cols = last) matrix with orthonormal columns
 * (rows >= cols) or rows, times `gain`. The normal samples are drawn and orthonormalized (Gram-Schmidt in
 * float64, which gives QR's Q with a positive diagonal of R, as Keras's sign fix does) on the host, so
 * every backend gets the same values.
 */
class Orthogonal implements Initializer {
  readonly className = 'Orthogonal';
  constructor(private readonly args: { gain?: number; seed?: number } = {}) {}
  init(shape: Shape): Tensor {
    const cols = shape.length ? shape[shape.length - 1] : 1;
    const rows = shape.slice(0, -1).reduce((a, b) => a * b, 1);
    const [n, k] = [Math.max(rows, cols), Math.min(rows, cols)];
    const seed = seedFor(this.args.seed);
    const q = Array.from({ length: k }, (_, j) => Float64Array.from({ length: n }, (_, i) => standardNormal(seed, i * k + j)));
    q.forEach((col, j) => {
      for (let p = 0; p < j; p++) {
        let d = 0;
        for (let i = 0; i < n; i++) d += q[p][i] * col[i];
        for (let i = 0; i < n; i++) col[i] -= d * q[p][i];
      }
      const norm = Math.hypot(...col);
      for (let i = 0; i < n; i++) col[i] /= norm;
    });
    const gain = this.args.gain ?? 1;
    const values = new Float32Array(rows * cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) values[r * cols + c] = gain * (rows >= cols ? q[c][r] : q[r][c]);
    return tensor(values, shape);
  }
  getConfig(): Record<string, number | null> {
    return { gain: this.args.gain ?? 1, seed: this.args.seed ?? null };
  }
}

/** An orthogonal matrix times `gain` (Keras's default recurrent kernel initializer). */
export const orthogonal = (args: { gain?: number; seed?: number } = {}): Initializer => new Orthogonal(args);
/** U(±sqrt(6 / (fanIn + fanOut))). */
export const glorotUniform = (args: SeedArgs = {}): Initializer => new VarianceScaling('GlorotUniform', 1, 'fanAvg', 'uniform', args.seed);
/** Truncated N(0, sqrt(2 / (fanIn + fanOut)) / .8796…). */
export const glorotNormal = (args: SeedArgs = {}): Initializer => new VarianceScaling('GlorotNormal', 1, 'fanAvg', 'truncatedNormal', args.seed);
/** Truncated N(0, sqrt(2 / fanIn) / .8796…). */
export const heNormal = (args: SeedArgs = {}): Initializer => new VarianceScaling('HeNormal', 2, 'fanIn', 'truncatedNormal', args.seed);
/** U(±sqrt(6 / fanIn)). */
export const heUniform = (args: SeedArgs = {}): Initializer => new VarianceScaling('HeUniform', 2, 'fanIn', 'uniform', args.seed);
export const zeros = (): Initializer => new Constant('Zeros', 0);
export const ones = (): Initializer => new Constant('Ones', 1);
export const constant = (args: { value: number }): Initializer => new Constant('Constant', args.value);
/** N(mean 0, stddev 0.05) by default. */
export const randomNormal = (args: { mean?: number; stddev?: number; seed?: number } = {}): Initializer => new RandomNormal(args);
/** U(-0.05, 0.05) by default. */
export const randomUniform = (args: { minval?: number; maxval?: number; seed?: number } = {}): Initializer => new RandomUniform(args);

const BY_NAME: Record<string, () => Initializer> = {
  glorot_uniform: glorotUniform,
  glorot_normal: glorotNormal,
  he_normal: heNormal,
  he_uniform: heUniform,
  zeros,
  ones,
  random_normal: randomNormal,
  random_uniform: randomUniform,
  orthogonal,
};

export type InitializerIdentifier = string | Initializer;

/** Resolve `'glorot_uniform'` (or tfjs's `'glorotUniform'`) or pass an initializer through. */
export function getInitializer(identifier: InitializerIdentifier): Initializer {
  if (typeof identifier !== 'string') return identifier;
  return lookup('initializer', BY_NAME, identifier)();
}
