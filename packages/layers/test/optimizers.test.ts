import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Variable, add, memory, mul, provideBackend, registerBackend, setBackend, square, sub, tensor, tidy, valueAndGrad, type Tensor } from '@strata/core';
import { createCpuBackend } from '@strata/backend-cpu';
import { createWebGpuBackend, type WebGpuBackend } from '@strata/backend-webgpu';
import { Adagrad, Adam, AdamW, Optimizer, RMSprop, SGD, deserialize, get, serialize } from '../src/optimizers/index.ts';

let gpu: WebGpuBackend | undefined;
afterAll(() => gpu?.dispose());

beforeAll(async () => {
  provideBackend('cpu', createCpuBackend());
  registerBackend('webgpu', async () => (gpu = await createWebGpuBackend()));
  await setBackend('cpu');
});

const variable = (values: number[], name = 'w'): Variable => tidy(() => new Variable(tensor(values), name));
const values = (t: Tensor): number[] => Array.from(t.dataSync());

/** float32 results against float64 references: 2e-6 absolute plus 1e-5 relative. */
function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((a, i) => expect(Math.abs(a - expected[i])).toBeLessThanOrEqual(2e-6 + 1e-5 * Math.abs(expected[i])));
}

// A tiny variable and three fixed gradients (one per step), shared by every trajectory test.
const X0 = [1, -2, 0.5];
const GRADS = [
  [0.1, -0.2, 0.3],
  [0.4, 0.1, -0.5],
  [-0.3, 0.6, 0.2],
];

/** Run three steps of `opt` on X0 with GRADS; the variable's values after each step (read asynchronously, so any backend). */
async function trajectory(opt: Optimizer, grads = GRADS): Promise<number[][]> {
  const w = variable(X0);
  const out: number[][] = [];
  for (const g of grads) {
    tidy(() => opt.applyGradients([[tensor(g), w]]));
    out.push(Array.from(await w.data()));
  }
  w.dispose();
  opt.dispose();
  return out;
}

// ---- float64 references, written straight from Keras 3's update rules, one element at a time ----

type Rule = (x: number, g: number, state: Record<string, number>, t: number) => number;

/** Apply `rule` element-wise for three steps; the state of each element starts from `init`. */
function reference(rule: Rule, init: Record<string, number> = {}, grads = GRADS): number[][] {
  const x = [...X0];
  const states = x.map(() => ({ ...init }));
  return grads.map((g, step) => {
    x.forEach((xi, i) => (x[i] = rule(xi, g[i], states[i], step + 1)));
    return [...x];
  });
}

const sgdRule = (lr: number, momentum = 0, nesterov = false): Rule => (x, g, s) => {
  if (momentum === 0) return x - lr * g;
  s.m = momentum * (s.m ?? 0) - lr * g;
  return nesterov ? x + momentum * s.m - lr * g : x + s.m;
};

const rmspropRule = (lr: number, rho: number, momentum: number, eps: number, centered: boolean): Rule => (x, g, s) => {
  s.v = rho * (s.v ?? 0) + (1 - rho) * g * g;
  let denominator = s.v;
  if (centered) {
    s.ag = rho * (s.ag ?? 0) + (1 - rho) * g;
    denominator = s.v - s.ag * s.ag;
  }
  const increment = (lr * g) / Math.sqrt(denominator + eps);
  if (momentum === 0) return x - increment;
  s.m = momentum * (s.m ?? 0) + increment;
  return x - s.m;
};

// Keras casts the betas to float32 before taking their powers (0.999 → 0.99900001287), which moves
// alpha by ~1e-5 relative at beta2 = 0.999; the reference does the same.
const adamRule = (lr: number, b1: number, b2: number, eps: number, amsgrad: boolean, wd = 0): Rule => (x0, g, s, t) => {
  const x = x0 - x0 * wd * lr;
  const alpha = (lr * Math.sqrt(1 - Math.fround(b2) ** t)) / (1 - Math.fround(b1) ** t);
  s.m = (s.m ?? 0) + (g - (s.m ?? 0)) * (1 - b1);
  s.v = (s.v ?? 0) + (g * g - (s.v ?? 0)) * (1 - b2);
  s.vhat = Math.max(s.vhat ?? 0, s.v);
  return x - (alpha * s.m) / (Math.sqrt(amsgrad ? s.vhat : s.v) + eps);
};

const adagradRule = (lr: number, eps: number): Rule => (x, g, s) => {
  s.acc += g * g;
  return x - (lr * g) / Math.sqrt(s.acc + eps);
};

// The update rules run where the weights live: the same checks on every backend.
describe.each(['cpu', 'webgpu'] as const)('on %s', (backend) => {
  beforeAll(() => setBackend(backend));
  afterAll(() => setBackend('cpu'));

  describe('three-step trajectories against float64 hand formulas', () => {
    it('SGD: plain, momentum, Nesterov', async () => {
      expectClose((await trajectory(new SGD({ learningRate: 0.1 }))).flat(), reference(sgdRule(0.1)).flat());
      expectClose((await trajectory(new SGD({ learningRate: 0.1, momentum: 0.9 }))).flat(), reference(sgdRule(0.1, 0.9)).flat());
      expectClose((await trajectory(new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }))).flat(), reference(sgdRule(0.1, 0.9, true)).flat());
    });

    it('RMSprop: plain, momentum, centered, both', async () => {
      for (const [momentum, centered] of [[0, false], [0.5, false], [0, true], [0.5, true]] as const) {
        const opt = new RMSprop({ learningRate: 0.01, rho: 0.8, momentum, epsilon: 1e-3, centered });
        expectClose((await trajectory(opt)).flat(), reference(rmspropRule(0.01, 0.8, momentum, 1e-3, centered)).flat());
      }
    });

    it('RMSprop with Keras defaults (epsilon inside the square root)', async () => {
      expectClose((await trajectory(new RMSprop())).flat(), reference(rmspropRule(0.001, 0.9, 0, 1e-7, false)).flat());
    });

    it('Adam: plain and amsgrad (bias correction through the step count)', async () => {
      expectClose((await trajectory(new Adam({ learningRate: 0.1, beta1: 0.8, beta2: 0.9, epsilon: 1e-3 }))).flat(), reference(adamRule(0.1, 0.8, 0.9, 1e-3, false)).flat());
      // this gradient sequence makes the amsgrad maximum differ from v on the third step
      const grads = [[1, -2, 0.5], [0.1, 0.1, 0.1], [0.2, -0.1, 0.05]];
      const opt = new Adam({ learningRate: 0.1, beta1: 0.8, beta2: 0.9, epsilon: 1e-3, amsgrad: true });
      const amsgrad = reference(adamRule(0.1, 0.8, 0.9, 1e-3, true), {}, grads);
      expectClose((await trajectory(opt, grads)).flat(), amsgrad.flat());
      expect(amsgrad[2]).not.toEqual(reference(adamRule(0.1, 0.8, 0.9, 1e-3, false), {}, grads)[2]);
    });

    it('AdamW: weight decay var·wd·lr before each Adam step', async () => {
      const opt = new AdamW({ learningRate: 0.1, weightDecay: 0.5, epsilon: 1e-3 });
      expectClose((await trajectory(opt)).flat(), reference(adamRule(0.1, 0.9, 0.999, 1e-3, false, 0.5)).flat());
      expectClose((await trajectory(new AdamW())).flat(), reference(adamRule(0.001, 0.9, 0.999, 1e-7, false, 0.004)).flat());
    });

    it('Adagrad: accumulator from its initial value', async () => {
      const opt = new Adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.2, epsilon: 1e-3 });
      expectClose((await trajectory(opt)).flat(), reference(adagradRule(0.1, 1e-3), { acc: 0.2 }).flat());
    });

    it('weight decay is a base option, as in Keras (SGD with weightDecay)', async () => {
      const decayed: Rule = (x, g) => x - x * 0.1 * 0.5 - 0.5 * g;
      expectClose((await trajectory(new SGD({ learningRate: 0.5, weightDecay: 0.1 }))).flat(), reference(decayed).flat());
    });
  });

  describe('Keras 3 golden values', () => {
    // The variable after the third step, printed by Keras 3.15.1 (JAX backend, CPU) for the same start and
    // gradients: `opt.apply_gradients([(g, w)])` three times. Strata matches to the last bit on the CPU.
    it.each([
      ['SGD momentum 0.9 nesterov', () => new SGD({ learningRate: 0.1, momentum: 0.9, nesterov: true }), GRADS, [0.9142100214958191, -2.072319984436035, 0.4943300187587738]],
      ['SGD globalClipnorm 2.5', () => new SGD({ learningRate: 0.1, globalClipnorm: 2.5 }), [[3, 4, 0], [0.3, 0.4, 0], [0, 0, 0]], [0.8200000524520874, -2.240000009536743, 0.5]],
      ['RMSprop centered momentum', () => new RMSprop({ learningRate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-3, centered: true }), GRADS, [0.9420696496963501, -1.9979931116104126, 0.4795173704624176]],
      ['Adam amsgrad', () => new Adam({ learningRate: 0.1, beta1: 0.8, beta2: 0.9, epsilon: 1e-3, amsgrad: true }), [[1, -2, 0.5], [0.1, 0.1, 0.1], [0.2, -0.1, 0.05]], [0.769737720489502, -1.7990301847457886, 0.26419249176979065]],
      ['AdamW defaults', () => new AdamW(), GRADS, [0.9979269504547119, -1.9992365837097168, 0.49929484724998474]],
      ['Adagrad', () => new Adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.2, epsilon: 1e-3 }), GRADS, [0.9567436575889587, -2.0559794902801514, 0.48612695932388306]],
    ] as const)('%s', async (_, make, grads, keras) => {
      const last = (await trajectory(make(), grads.map((g) => [...g])))[2];
      last.forEach((v, i) => expect(Math.abs(v - keras[i])).toBeLessThanOrEqual(2.5e-7));
    });
  });

  describe('gradient clipping', () => {
    const big = [[3, 4, 0], [0.3, 0.4, 0], [0, 0, 0]]; // norms 5, 0.5 and 0 (no NaN)

    it('clipnorm rescales each gradient to norm ≤ clipnorm', async () => {
      const clip = (g: number[]): number[] => {
        const norm = Math.hypot(...g);
        return norm > 1 ? g.map((v) => v / norm) : g;
      };
      const got = await trajectory(new SGD({ learningRate: 0.1, clipnorm: 1 }), big);
      expectClose(got.flat(), reference(sgdRule(0.1), {}, big.map(clip)).flat());
      expect(got[2]).toEqual(got[1]); // a zero gradient stays zero
    });

    it('clipvalue clips each element to [-clipvalue, clipvalue]', async () => {
      const clipped = GRADS.map((g) => g.map((v) => Math.min(0.25, Math.max(-0.25, v))));
      expectClose((await trajectory(new Adam({ learningRate: 0.1, clipvalue: 0.25 }))).flat(), reference(adamRule(0.1, 0.9, 0.999, 1e-7, false), {}, clipped).flat());
    });

    it('globalClipnorm scales all gradients by one factor', async () => {
      const w = variable([0, 0], 'a');
      const b = variable([0], 'b');
      const opt = new SGD({ learningRate: 1, globalClipnorm: 2.5 });
      tidy(() => opt.applyGradients([tensor([3, 0]), tensor([4])], [w, b])); // global norm 5 → ×0.5
      expectClose([...(await w.data()), ...(await b.data())], [-1.5, 0, -2]);
      for (const t of [w, b, opt]) t.dispose();
    });

    it('only one clipping option', () => {
      expect(() => new SGD({ clipnorm: 1, clipvalue: 1 })).toThrow(/SGD: only one of 'clipnorm', 'clipvalue' and 'globalClipnorm'/);
    });
  });
});

// ---- minimisation from a fixed start, with core's autodiff ----

const quadratic = (x: Tensor, y: Tensor): Tensor => add(square(sub(x, 3)), mul(square(add(y, 1)), 10)); // min 0 at (3, -1)
const rosenbrock = (x: Tensor, y: Tensor): Tensor => add(square(sub(1, x)), mul(square(sub(y, square(x))), 100)); // min 0 at (1, 1)

/** Minimise f from (-1.5, 2) for `steps` steps; the final loss. */
function minimise(opt: Optimizer, f: (x: Tensor, y: Tensor) => Tensor, steps: number): number {
  const x = variable([-1.5], 'x');
  const y = variable([2], 'y');
  for (let i = 0; i < steps; i++) {
    tidy(() => {
      const { grads } = valueAndGrad(() => f(x, y), [x, y]);
      opt.applyGradients(grads, [x, y]);
    });
  }
  const loss = tidy(() => values(f(x, y))[0]);
  for (const t of [x, y, opt]) t.dispose();
  return loss;
}

describe('minimisation from (-1.5, 2)', () => {
  // The quadratic starts at loss 20.25 + 90 = 110.25. 1e-4 means every coordinate is within ~1e-2 of the
  // minimum: plain convergence, far above float32 noise.
  it.each([
    ['SGD', () => new SGD({ learningRate: 0.05 }), 200],
    ['SGD momentum nesterov', () => new SGD({ learningRate: 0.02, momentum: 0.9, nesterov: true }), 300],
    ['RMSprop', () => new RMSprop({ learningRate: 0.01 }), 1000],
    ['Adam', () => new Adam({ learningRate: 0.1 }), 500],
    ['AdamW', () => new AdamW({ learningRate: 0.1, weightDecay: 1e-4 }), 500],
    ['Adagrad', () => new Adagrad({ learningRate: 0.5 }), 500],
  ])('%s minimises a quadratic', (_, make, steps) => {
    expect(minimise(make(), quadratic, steps)).toBeLessThan(1e-4);
  });

  // Rosenbrock starts at loss 12.5, on the far side of its curved valley. Since loss ≥ (1-x)², a loss
  // below 1e-2 puts x within 0.1 of 1 (and y within 0.1 of x²): the optimizer went round the valley to the
  // minimum rather than stalling on a wall. RMSprop (with a constant rate its steps stay ~lr in size, so it
  // hovers near the floor) and Adagrad (its rate decays like 1/√t) settle near 1e-3; the others go far lower.
  it.each([
    ['SGD momentum', () => new SGD({ learningRate: 5e-4, momentum: 0.9 }), 3000],
    ['RMSprop', () => new RMSprop({ learningRate: 2e-3 }), 3000],
    ['Adam', () => new Adam({ learningRate: 0.02 }), 3000],
    ['AdamW', () => new AdamW({ learningRate: 0.02, weightDecay: 1e-4 }), 3000],
    ['Adagrad', () => new Adagrad({ learningRate: 1 }), 5000],
  ])('%s minimises the Rosenbrock function', (_, make, steps) => {
    expect(minimise(make(), rosenbrock, steps)).toBeLessThan(1e-2);
  });
});

describe('Keras defaults and config', () => {
  const base = { weight_decay: null, clipnorm: null, global_clipnorm: null, clipvalue: null, use_ema: false, ema_momentum: 0.99, ema_overwrite_frequency: null, loss_scale_factor: null, gradient_accumulation_steps: null };
  // Keras 3's get_config() of each optimizer built with no arguments (learning_rate is a float32 variable)
  const KERAS: [string, () => Optimizer, RegExp, Record<string, unknown>][] = [
    ['SGD', () => new SGD(), /^sgd(_\d+)?$/, { learning_rate: 0.009999999776482582, momentum: 0, nesterov: false }],
    ['RMSprop', () => new RMSprop(), /^rm_sprop(_\d+)?$/, { learning_rate: 0.0010000000474974513, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false }],
    ['Adam', () => new Adam(), /^adam(_\d+)?$/, { learning_rate: 0.0010000000474974513, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false }],
    ['AdamW', () => new AdamW(), /^adam_w(_\d+)?$/, { learning_rate: 0.0010000000474974513, weight_decay: 0.004, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false }],
    ['Adagrad', () => new Adagrad(), /^adagrad(_\d+)?$/, { learning_rate: 0.0010000000474974513, initial_accumulator_value: 0.1, epsilon: 1e-7 }],
  ];

  it.each(KERAS)('%s defaults equal Keras 3', (className, make, name, own) => {
    const opt = make();
    const { name: actualName, ...config } = opt.getConfig();
    expect(actualName).toMatch(name);
    expect(config).toEqual({ ...base, ...own });
    expect(opt.className).toBe(className);
    expect(opt.iterations).toBe(0);
  });

  it('default names are unique per prefix, as Keras', () => {
    const [a, b] = [new Adam(), new Adam()];
    expect(b.name).not.toBe(a.name);
    expect(new Adam({ name: 'mine' }).name).toBe('mine');
  });

  it('serialize/deserialize round-trips, and a Keras get_config() loads', () => {
    const opt = new RMSprop({ learningRate: 0.01, rho: 0.8, momentum: 0.5, centered: true, clipnorm: 2 });
    const copy = deserialize(serialize(opt));
    expect(copy).toBeInstanceOf(RMSprop);
    expect(copy.getConfig()).toEqual(opt.getConfig());
    const keras = { name: 'adam', learning_rate: 0.0010000000474974513, weight_decay: null, clipnorm: null, global_clipnorm: null, clipvalue: 0.5, use_ema: false, ema_momentum: 0.99, ema_overwrite_frequency: null, loss_scale_factor: null, gradient_accumulation_steps: null, beta_1: 0.8, beta_2: 0.99, epsilon: 1e-7, amsgrad: true };
    const fromKeras = get({ className: 'Adam', config: keras });
    expect(fromKeras).toBeInstanceOf(Adam);
    expect(fromKeras.getConfig()).toEqual(keras);
    expect(() => deserialize({ className: 'Adam', config: { ...keras, loss_scale_factor: 128 } })).toThrow(/Adam: the Keras option 'loss_scale_factor' is not supported/);
  });
});

describe('get', () => {
  it('names are case-insensitive, as Keras', () => {
    expect(get('sgd')).toBeInstanceOf(SGD);
    expect(get('SGD')).toBeInstanceOf(SGD);
    expect(get('RMSprop')).toBeInstanceOf(RMSprop);
    expect(get('adam')).toBeInstanceOf(Adam);
    expect(get('AdamW')).toBeInstanceOf(AdamW);
    expect(get('adagrad')).toBeInstanceOf(Adagrad);
    expect(get('adam')).not.toBeInstanceOf(AdamW);
    expect(get('adamw')).toBeInstanceOf(Adam); // AdamW is an Adam, as in Keras
  });

  it('an Optimizer is returned as is; {className, config} is built', () => {
    const opt = new SGD();
    expect(get(opt)).toBe(opt);
    const built = get({ className: 'sgd', config: { learningRate: 0.5, momentum: 0.9 } });
    expect(built).toBeInstanceOf(SGD);
    expect((built as SGD).momentum).toBe(0.9);
    expect(built.learningRate).toBe(0.5);
  });

  it('an unknown name lists the valid ones', () => {
    expect(() => get('nadamax')).toThrow('Unknown optimizer "nadamax"; valid optimizers are sgd, rmsprop, adam, adamw, adagrad, nadam, adamax, adadelta, lion, ftrl');
    expect(() => get({ className: 'Lamb' })).toThrow(/Unknown optimizer "Lamb"; valid optimizers are sgd, rmsprop/);
  });
});

describe('option validation', () => {
  it('names the optimizer and the option', () => {
    expect(() => new SGD({ learningRate: -0.1 })).toThrow(/^SGD: 'learningRate'.*\(got -0\.1\)/);
    expect(() => new SGD({ momentum: 1.5 })).toThrow(/^SGD: 'momentum'/);
    expect(() => new RMSprop({ rho: -1 })).toThrow(/^RMSprop: 'rho'/);
    expect(() => new RMSprop({ epsilon: Number.NaN })).toThrow(/^RMSprop: 'epsilon'/);
    expect(() => new Adam({ beta1: 1 })).toThrow(/^Adam: 'beta1'/);
    expect(() => new Adam({ beta2: 2 })).toThrow(/^Adam: 'beta2'/);
    expect(() => new AdamW({ weightDecay: -1 })).toThrow(/^AdamW: 'weightDecay'/);
    expect(() => new AdamW({ weightDecay: null as unknown as number })).toThrow(/^AdamW: 'weightDecay'/);
    expect(() => new Adagrad({ initialAccumulatorValue: -1 })).toThrow(/^Adagrad: 'initialAccumulatorValue'/);
    expect(() => new Adam({ clipnorm: 0 })).toThrow(/^Adam: 'clipnorm'/);
    expect(() => new SGD({ nesterov: 'yes' as unknown as boolean })).toThrow(/^SGD: 'nesterov'/);
    expect(() => new Adam({ beta_1: 0.9 } as unknown as object)).toThrow(/^Adam: unknown option 'beta_1'/);
  });

  it('the learning rate setter checks too and keeps float32 like Keras', () => {
    const opt = new SGD();
    opt.learningRate = 0.5;
    expect(opt.learningRate).toBe(0.5);
    opt.learningRate = 0.1;
    expect(opt.learningRate).toBe(Math.fround(0.1));
    expect(() => (opt.learningRate = -1)).toThrow(/SGD: 'learningRate' must be a finite number >= 0, got -1/);
  });

  it('applyGradients checks counts and shapes', () => {
    const w = variable([1, 2], 'dense/kernel');
    const opt = new Adam();
    expect(() => opt.applyGradients([tensor([1])], [w])).toThrow(/Adam.applyGradients: the gradient of 'dense\/kernel' is \(1,\) float32; expected \(2,\) float32/);
    expect(() => opt.applyGradients([tensor([1, 1])], [])).toThrow(/expected as many gradients as variables, got 1 and 0/);
    expect(opt.iterations).toBe(0);
    w.dispose();
  });
});

describe('state: variables, iterations, weights', () => {
  it('variables() follows Keras 3 names and order', () => {
    const w = variable([0, 0], 'dense/kernel');
    const b = variable([0, 0, 0], 'dense/bias');
    const names = (opt: Optimizer): string[] => {
      opt.build([w, b]);
      const out = opt.variables().map((v) => v.name);
      opt.dispose();
      return out;
    };
    const slots = (...kinds: string[]): string[] => kinds.flatMap((k) => (k.includes('/') ? [k] : [`dense_kernel_${k}`, `dense_bias_${k}`]));
    expect(names(new SGD())).toEqual(['iteration', 'learning_rate']);
    expect(names(new SGD({ momentum: 0.5 }))).toEqual(['iteration', 'learning_rate', ...slots('momentum')]);
    expect(names(new RMSprop({ momentum: 0.5, centered: true }))).toEqual(['iteration', 'learning_rate', ...slots('velocity', 'momentum', 'average_gradient')]);
    // Adam interleaves momentum and velocity per variable, then adds every velocity_hat
    expect(names(new Adam({ amsgrad: true }))).toEqual(['iteration', 'learning_rate', 'dense_kernel_momentum', 'dense_kernel_velocity', 'dense_bias_momentum', 'dense_bias_velocity', ...slots('velocity_hat')]);
    expect(names(new AdamW())).toEqual(['iteration', 'learning_rate', 'dense_kernel_momentum', 'dense_kernel_velocity', 'dense_bias_momentum', 'dense_bias_velocity']);
    expect(names(new Adagrad())).toEqual(['iteration', 'learning_rate', ...slots('accumulator')]);
    w.dispose();
    b.dispose();
  });

  it('iterations count steps; getWeights exports them; the accumulator starts at its initial value', () => {
    const w = variable([1, 2], 'w');
    const opt = new Adagrad({ learningRate: 0.25 });
    opt.build([w]);
    const before = opt.getWeights();
    expect(before.map(values)).toEqual([[0], [0.25], [0.1, 0.1].map(Math.fround)]);
    expect(before[0].dtype).toBe('int32');
    for (let i = 0; i < 3; i++) tidy(() => opt.applyGradients([tensor([1, 1])], [w]));
    expect(opt.iterations).toBe(3);
    const after = opt.getWeights();
    expect(values(after[0])).toEqual([3]);
    expectClose(values(after[2]), [3.1, 3.1]);
    expect(values(before[2])).toEqual([0.1, 0.1].map(Math.fround)); // snapshots keep their values
    for (const t of [...before, ...after, w, opt]) t.dispose();
  });

  it('setWeights restores the state: a restored optimizer continues exactly like the original', async () => {
    const grads = [[0.5, -1], [0.25, 0.75], [-0.5, 0.1]];
    const w1 = variable([1, 2], 'w');
    const a = new Adam({ learningRate: 0.1, amsgrad: true });
    for (const g of grads) tidy(() => a.applyGradients([tensor(g)], [w1]));
    a.learningRate = 0.05;
    const w2 = tidy(() => new Variable(tensor(values(w1)), 'w'));
    const b = new Adam({ amsgrad: true });
    await expect(b.setWeights(a.getWeights())).rejects.toThrow(/Adam.setWeights: optimizer '.*' has 2 variables, got 5 weights \(build it on the model variables first\)/);
    b.build([w2]);
    const saved = a.getWeights();
    await b.setWeights(saved);
    expect(b.iterations).toBe(3);
    expect(b.learningRate).toBe(a.learningRate);
    tidy(() => a.applyGradients([tensor([0.3, 0.3])], [w1]));
    tidy(() => b.applyGradients([tensor([0.3, 0.3])], [w2]));
    expect(values(w2)).toEqual(values(w1));
    expect(b.variables().map(values)).toEqual(a.variables().map(values));
    for (const t of [...saved, w1, w2, a, b]) t.dispose();
  });

  it('pairs and (grads, variables) give the same update; new variables get slots on first use', () => {
    const [p, q] = [variable([1, 2], 'p'), variable([1, 2], 'q')];
    const [a, b] = [new SGD({ learningRate: 0.1, momentum: 0.9 }), new SGD({ learningRate: 0.1, momentum: 0.9 })];
    for (let i = 0; i < 2; i++) {
      tidy(() => a.applyGradients([[tensor([1, -1]), p]]));
      tidy(() => b.applyGradients([tensor([1, -1])], [q]));
    }
    expect(values(p)).toEqual(values(q));
    const r = variable([5], 'r');
    tidy(() => a.applyGradients([[tensor([1]), r]]));
    expect(a.variables().map((v) => v.name)).toEqual(['iteration', 'learning_rate', 'p_momentum', 'r_momentum']);
    expectClose(values(r), [4.9]);
    for (const t of [p, q, r, a, b]) t.dispose();
  });
});

describe('memory', () => {
  it.each([
    ['SGD nesterov + clipnorm', () => new SGD({ momentum: 0.9, nesterov: true, clipnorm: 1 })],
    ['RMSprop centered + momentum + clipvalue', () => new RMSprop({ momentum: 0.5, centered: true, clipvalue: 1 })],
    ['Adam amsgrad + globalClipnorm', () => new Adam({ amsgrad: true, globalClipnorm: 1 })],
    ['AdamW', () => new AdamW()],
    ['Adagrad', () => new Adagrad()],
  ])('%s: no tensor leaks over 100 steps', (_, make) => {
    const x = variable([-1.5, 0.5], 'x');
    const y = variable([2], 'y');
    const opt = make();
    const step = (): void =>
      tidy(() => {
        const { grads } = valueAndGrad(() => rosenbrock(x, y), [x, y]);
        opt.applyGradients(grads, [x, y]);
      });
    step(); // builds the slots
    const start = memory();
    for (let i = 0; i < 100; i++) step();
    expect(memory().numTensors).toBe(start.numTensors);
    expect(memory().numBytes).toBe(start.numBytes);
    expect(opt.iterations).toBe(101);
    const held = opt.variables().length;
    opt.dispose();
    expect(memory().numTensors).toBe(start.numTensors - held);
    x.dispose();
    y.dispose();
  });
});
