/**
 * Every code example of chapter 2 of "Deep Learning with Python" (the notes in shared/seeds/), with the
 * notes' numbers, written with Strata ops.
 */
import { expect, it } from 'vitest';
import * as S from '@strata/core';
import type { Tensor } from '@strata/core';
import { forEachBackend } from '../src/harness.ts';
import { Checks, TOL, toArr, toTensor } from '../src/check.ts';
import { Rng } from '../src/random-shapes.ts';
import * as R from '../src/reference.ts';

const rng = new Rng(71);
const X3D = [[5, 78, 2, 34, 0], [6, 79, 3, 35, 1], [7, 80, 4, 36, 2]];

// The book's naive implementations, transcribed loop for loop.
type Matrix = number[][];
function naiveRelu(x: Matrix): Matrix {
  const out = x.map((row) => [...row]);
  for (let i = 0; i < x.length; i++) for (let j = 0; j < x[0].length; j++) out[i][j] = Math.max(out[i][j], 0);
  return out;
}
function naiveAdd(x: Matrix, y: Matrix): Matrix {
  const out = x.map((row) => [...row]);
  for (let i = 0; i < x.length; i++) for (let j = 0; j < x[0].length; j++) out[i][j] += y[i][j];
  return out;
}
function naiveAddMatrixAndVector(x: Matrix, y: number[]): Matrix {
  const out = x.map((row) => [...row]);
  for (let i = 0; i < x.length; i++) for (let j = 0; j < x[0].length; j++) out[i][j] += y[j];
  return out;
}
function naiveVectorDot(x: number[], y: number[]): number {
  let z = 0;
  for (let i = 0; i < x.length; i++) z += x[i] * y[i];
  return z;
}
function naiveMatrixVectorDot(x: Matrix, y: number[]): number[] {
  return x.map((row) => naiveVectorDot(row, y));
}
function naiveMatrixDot(x: Matrix, y: Matrix): Matrix {
  return x.map((row) => y[0].map((_, j) => naiveVectorDot(row, y.map((r) => r[j]))));
}

const matrix = (rows: number, cols: number): Matrix => Array.from({ length: rows }, () => rng.values(cols));
const nested = (m: Matrix): R.Arr => R.fromNested(m);

forEachBackend(() => {
  it('scalars, vectors, matrices and rank-3 tensors: ndim and shape', async () => {
    const cases: [string, S.NestedArray, number, number[]][] = [
      ['np.array(12)', 12, 0, []],
      ['np.array([12, 3, 6, 14, 7])', [12, 3, 6, 14, 7], 1, [5]],
      ['np.array([12, 3, 6, 14])', [12, 3, 6, 14], 1, [4]],
      ['the (3, 5) matrix', X3D, 2, [3, 5]],
      ['the rank-3 example', [X3D, X3D, X3D], 3, [3, 3, 5]],
    ];
    for (const [what, value, ndim, shape] of cases) {
      const x = S.tensor(value);
      expect([x.ndim, x.rank, x.shape], what).toEqual([ndim, ndim, shape]);
      expect(await x.array(), what).toEqual(value);
      x.dispose();
    }
    const t = S.reshape(S.range(0, 30, 1, 'int32'), [3, 2, 5]);
    expect([t.shape, t.dtype]).toEqual([[3, 2, 5], 'int32']);
    expect(await t.array()).toEqual([[[0, 1, 2, 3, 4], [5, 6, 7, 8, 9]], [[10, 11, 12, 13, 14], [15, 16, 17, 18, 19]], [[20, 21, 22, 23, 24], [25, 26, 27, 28, 29]]]);
    t.dispose();
  });

  it('train_images: a (60000, 28, 28) uint8 tensor; slicing and batches give the notes\' shapes', async () => {
    const trainImages = S.ones([60000, 28, 28], 'uint8');
    expect([trainImages.ndim, trainImages.shape, trainImages.dtype]).toEqual([3, [60000, 28, 28], 'uint8']);
    const slices: [string, number[]][] = [
      ['10:100', [90, 28, 28]],
      ['10:100, :, :', [90, 28, 28]],
      ['10:100, 0:28, 0:28', [90, 28, 28]],
      [':, 14:, 14:', [60000, 14, 14]],
      [':, 7:-7, 7:-7', [60000, 14, 14]],
      [':128', [128, 28, 28]],
      ['128:256', [128, 28, 28]],
    ];
    for (const [text, shape] of slices) S.tidy(() => expect(S.slice(trainImages, text).shape, text).toEqual(shape));
    // batch = train_images[128 * n:128 * (n + 1)]: 469 batches per epoch (the last has 96), 2,345 updates in 5 epochs
    const batchShape = (n: number): readonly number[] => S.tidy(() => S.slice(trainImages, [{ start: 128 * n, stop: 128 * (n + 1) }]).shape);
    expect(batchShape(3)).toEqual([128, 28, 28]);
    expect(batchShape(468)).toEqual([96, 28, 28]);
    expect(batchShape(469)).toEqual([0, 28, 28]);
    const batchesPerEpoch = Math.ceil(60000 / 128);
    expect([batchesPerEpoch, 5 * batchesPerEpoch]).toEqual([469, 2345]);
    const count = S.tidy(() => S.sum(S.slice(trainImages, ':, 7:-7, 7:-7')));
    expect(await count.array()).toBe(60000 * 14 * 14); // every pixel of the big tensor was written, sliced and summed
    S.dispose([count, trainImages]);
  });

  it('slices of images keep the right pixels (bottom-right corner, centred 14 × 14 patches, batches)', async () => {
    const images = R.generate([130, 28, 28], ([n, r, c]) => (n * 7 + r * 3 + c) % 256);
    const c = new Checks();
    const cases: [string, R.Index[]][] = [
      ['10:100', [{ start: 10, stop: 100 }]],
      [':, 14:, 14:', [null, { start: 14 }, { start: 14 }]],
      [':, 7:-7, 7:-7', [null, { start: 7, stop: -7 }, { start: 7, stop: -7 }]],
      ['128:256', [{ start: 128, stop: 256 }]],
    ];
    for (const [text, typed] of cases) c.close(`train_images[${text}]`, () => S.slice(toTensor(images, 'uint8'), text), R.index(images, typed), TOL.exact, 'uint8');
    await c.done();
  });

  it('preprocessing: reshape to (N, 28 * 28), astype float32 / 255; labels to_categorical', async () => {
    const images = R.generate([6, 28, 28], ([n, r, c]) => (n * 31 + r * 28 + c) % 256);
    const c = new Checks();
    c.close('reshape((N, 28 * 28)).astype(float32) / 255', () => S.div(S.cast(S.reshape(toTensor(images, 'uint8'), [6, 28 * 28]), 'float32'), 255), R.reshape(R.map(images, (v) => v / 255), [6, 784]), TOL.float, 'float32');
    const labels = R.arr([5], [5, 0, 4, 1, 9]);
    c.close('to_categorical(train_labels)', () => S.oneHot(toTensor(labels, 'uint8'), 10), R.oneHot(labels, 10), TOL.exact, 'float32');
    await c.done();
    const test = S.zeros([10000, 28, 28], 'uint8');
    S.tidy(() => expect(S.reshape(test, [10000, 28 * 28]).shape).toEqual([10000, 784]));
    test.dispose();
  });

  it('the 2 × 2 examples: dot, element-wise product, broadcast add, relu as np.maximum(x, 0)', async () => {
    const m = [[1, -1], [0, 2]];
    const v = [1, 0];
    const c = new Checks();
    c.close('np.dot(tensor2D, tensor1D)', () => S.dot(S.tensor(m), S.tensor(v)), R.arr([2], [1, 0]));
    c.close('tensor2D * tensor1D', () => S.mul(S.tensor(m, undefined, 'int32'), S.tensor(v, undefined, 'int32')), nested([[1, 0], [0, 0]]), TOL.exact, 'int32');
    c.close('tensor2D + tensor1D', () => S.add(S.tensor(m, undefined, 'int32'), S.tensor(v, undefined, 'int32')), nested([[2, -1], [1, 2]]), TOL.exact, 'int32');
    c.close('np.maximum(tensor2D, 0)', () => S.maximum(S.tensor(m, undefined, 'int32'), 0), nested([[1, 0], [0, 2]]), TOL.exact, 'int32');
    c.close('relu(tensor2D)', () => S.relu(S.tensor(m)), nested([[1, 0], [0, 2]]));
    await c.done();
  });

  it('naive_relu, naive_add, naive_vector_dot, naive_matrix_vector_dot, naive_matrix_dot agree with Strata ops', async () => {
    const [x, y] = [matrix(4, 3), matrix(4, 3)];
    const vec = rng.values(3);
    const [a, b] = [matrix(5, 3), matrix(3, 4)];
    const c = new Checks();
    c.close('naive_relu', () => S.relu(S.tensor(x)), nested(naiveRelu(x)));
    c.close('naive_add', () => S.add(S.tensor(x), S.tensor(y)), nested(naiveAdd(x, y)));
    c.close('z = x + y; np.maximum(z, 0.)', () => S.maximum(S.add(S.tensor(x), S.tensor(y)), 0), nested(naiveRelu(naiveAdd(x, y))));
    c.close('naive_add_matrix_and_vector', () => S.add(S.tensor(x), S.tensor(vec)), nested(naiveAddMatrixAndVector(x, vec)));
    c.close('naive_vector_dot', () => S.dot(S.tensor(vec), S.tensor(x[0])), R.arr([], [naiveVectorDot(vec, x[0])]), TOL.loose);
    c.close('naive_matrix_vector_dot', () => S.dot(S.tensor(x), S.tensor(vec)), R.arr([4], naiveMatrixVectorDot(x, vec)), TOL.loose);
    c.close('naive_matrix_dot', () => S.dot(S.tensor(a), S.tensor(b)), nested(naiveMatrixDot(a, b)), TOL.loose);
    await c.done();
  });

  it('broadcasting: (32, 10) + (10,) equals adding y repeated 32 times; np.maximum of (64, 3, 32, 10) and (32, 10)', async () => {
    const X = R.arr([32, 10], rng.values(320, 0, 1));
    const y = R.arr([10], rng.values(10, 0, 1));
    const c = new Checks();
    c.close('expand_dims(y, axis=0)', () => S.expandDims(toTensor(y), 0), R.reshape(y, [1, 10]));
    c.close('Y = concatenate([y] * 32, axis=0)', () => S.concat(Array.from({ length: 32 }, () => S.expandDims(toTensor(y), 0)), 0), R.zip([X, y], (_, v) => v));
    c.close('X + y', () => S.add(toTensor(X), toTensor(y)), R.binary('add', X, y));
    c.close('X + y == X + Y', () => S.sub(S.add(toTensor(X), toTensor(y)), S.add(toTensor(X), S.concat(Array.from({ length: 32 }, () => S.expandDims(toTensor(y), 0)), 0))), R.map(X, () => 0), TOL.exact);
    const big = R.arr([64, 3, 32, 10], rng.values(64 * 3 * 32 * 10, 0, 1));
    const small = R.arr([32, 10], rng.values(320, 0, 1));
    c.close('np.maximum(x (64, 3, 32, 10), y (32, 10))', () => S.maximum(toTensor(big), toTensor(small)), R.binary('maximum', big, small), TOL.exact);
    await c.done();
  });

  it('tensor product shapes: x · y of (32,) vectors, matrix · vector, (a, b, c, d) · (d,) and (a, b, c, d) · (d, e)', async () => {
    const c = new Checks();
    const cases: [number[], number[], number[]][] = [[[32], [32], []], [[3, 4], [4], [3]], [[3, 4], [4, 5], [3, 5]], [[2, 3, 4, 5], [5], [2, 3, 4]], [[2, 3, 4, 5], [5, 6], [2, 3, 4, 6]]];
    for (const [sa, sb, out] of cases) {
      const [a, b] = [R.arr(sa, rng.values(R.numel(sa), 0, 1)), R.arr(sb, rng.values(R.numel(sb), 0, 1))];
      const expected = R.dot(a, b);
      expect(expected.shape).toEqual(out);
      c.close(`dot (${sa}) · (${sb}) → (${out})`, () => S.dot(toTensor(a), toTensor(b)), expected, TOL.loose);
    }
    await c.done();
  });

  it('reshape (3, 2) → (6, 1) → (2, 3) and transpose of zeros((300, 20)) → (20, 300)', async () => {
    const x = S.tensor([[0, 1], [2, 3], [4, 5]]);
    expect(x.shape).toEqual([3, 2]);
    const col = S.reshape(x, [6, 1]);
    expect(await col.array()).toEqual([[0], [1], [2], [3], [4], [5]]);
    const row = S.reshape(col, [2, 3]);
    expect(await row.array()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(await row.format()).toBe('array([[0., 1., 2.],\n       [3., 4., 5.]], dtype=float32)');
    const z = S.transpose(S.zeros([300, 20]));
    expect(z.shape).toEqual([20, 300]);
    expect(R.REDUCERS.max((await toArr(z)).data)).toBe(0);
    S.dispose([x, col, row, z]);
  });

  it('geometry: translation, rotation and scaling of 2-D points; affine maps compose into one affine map', async () => {
    const points = R.arr([2, 3], [0, 1, 1, 0, 0, 1]); // columns are the points (0,0), (1,0), (1,1)
    const theta = Math.PI / 6;
    const rot = nested([[Math.cos(theta), -Math.sin(theta)], [Math.sin(theta), Math.cos(theta)]]);
    const scale = nested([[2, 0], [0, 0.5]]);
    const shift = R.arr([2, 1], [3, -1]);
    const c = new Checks();
    c.close('translation: points + vector', () => S.add(toTensor(points), toTensor(shift)), R.binary('add', points, shift));
    c.close('rotation by 30°', () => S.dot(toTensor(rot), toTensor(points)), R.matmul(rot, points), TOL.loose);
    c.close('rotating (1, 0) by 90° gives (0, 1)', () => S.dot(S.tensor([[0, -1], [1, 0]]), S.tensor([1, 0])), R.arr([2], [0, 1]));
    c.close('scaling by (2, 0.5)', () => S.dot(toTensor(scale), toTensor(points)), nested([[0, 2, 2], [0, 0, 0.5]]));
    const [w1, w2] = [R.arr([2, 2], rng.values(4)), R.arr([2, 2], rng.values(4))];
    const [b1, b2] = [R.arr([2, 1], rng.values(2)), R.arr([2, 1], rng.values(2))];
    const affine2of1 = (): Tensor => S.add(S.dot(toTensor(w2), S.add(S.dot(toTensor(w1), toTensor(points)), toTensor(b1))), toTensor(b2));
    const single = (): Tensor => S.add(S.dot(S.dot(toTensor(w2), toTensor(w1)), toTensor(points)), S.add(S.dot(toTensor(w2), toTensor(b1)), toTensor(b2)));
    c.close('affine2(affine1(x)) = (W2 • W1) • x + (W2 • b1 + b2)', () => S.sub(affine2of1(), single()), R.map(points, () => 0), TOL.loose);
    const [input, W, b] = [R.arr([4, 3], rng.values(12)), R.arr([3, 2], rng.values(6)), R.arr([2], rng.values(2))];
    c.close('output = relu(dot(input, W) + b)', () => S.relu(S.add(S.dot(toTensor(input), toTensor(W)), toTensor(b))), R.dense(input, W, b, 'relu'), TOL.loose);
    c.close('… is the fused Dense layer', () => S.dense(toTensor(input), toTensor(W), toTensor(b), 'relu'), R.dense(input, W, b, 'relu'), TOL.loose);
    await c.done();
  });

  it('the computation graph: x = 2, w = 3, b = 1, y_true = 4 → loss 3, grad(loss, w) = 2, grad(loss, b) = 1', async () => {
    const [x, w, b, yTrue] = [S.scalar(2), new S.Variable(S.scalar(3), 'w'), new S.Variable(S.scalar(1), 'b'), S.scalar(4)];
    const { value, grads } = S.valueAndGrad(() => {
      const x1 = S.mul(x, w);
      const x2 = S.add(x1, b);
      return S.abs(S.sub(yTrue, x2));
    }, [w, b]);
    expect(await value.array()).toBe(3);
    expect(await Promise.all(grads.map((g) => g.array()))).toEqual([2, 1]);
    S.dispose([x, w, b, yTrue, value, grads]);
  });

  it('derivatives: d cos = -sin, d(a * x) = a, the chain rule, and the 0.3 → 0.25 coefficient example', async () => {
    const xs = [-2, -0.5, 0.3, 1.7];
    const x = S.tensor(xs);
    const c = new Checks();
    c.close('grad(cos)(x) = -sin(x)', () => S.grad(() => S.cos(x), [x])[0], R.arr([4], xs.map((v) => -Math.sin(v))), TOL.loose);
    c.close('grad(a * x)(x) = a', () => S.grad(() => S.mul(x, 2.5), [x])[0], R.arr([4], [2.5, 2.5, 2.5, 2.5]));
    // grad(y, x) == grad(y, x1) * grad(x1, x) for y = sin(x1), x1 = x²
    c.close('chain rule', () => S.grad(() => S.sin(S.square(x)), [x])[0], R.arr([4], xs.map((v) => Math.cos(v * v) * 2 * v)), TOL.loose);
    // a loss of 0.5 at 0.3, 0.6 at 0.35, 0.4 at 0.25: moving against the gradient lowers it
    const coefficient = S.scalar(0.3);
    const loss = (k: Tensor): Tensor => S.sub(S.mul(k, 2), 0.1);
    c.close('loss(0.3)', () => loss(coefficient), R.arr([], [0.5]));
    c.close('loss(0.35)', () => loss(S.add(coefficient, 0.05)), R.arr([], [0.6]));
    c.close('loss(0.3 - 0.05 * sign(grad))', () => loss(S.sub(coefficient, S.mul(S.sign(S.grad(() => loss(coefficient), [coefficient])[0]), 0.05))), R.arr([], [0.4]));
    await c.done();
    S.dispose([x, coefficient]);
  });

  it('mini-batch SGD (W -= step * gradient) lowers the loss; the naive momentum loop reaches loss < 0.01', async () => {
    // y_pred = dot(W, x); loss = mean((y_pred - y_true)²) on batches drawn at random
    const trueW = S.tensor([[1, -2, 0.5]]);
    const W = new S.Variable(S.zeros([1, 3]), 'W');
    const lossOf = (x: Tensor, y: Tensor): Tensor => S.mean(S.square(S.sub(S.dot(W, x), y)));
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) {
      const loss = S.tidy(() => {
        const x = S.randomUniform([3, 16], -1, 1, { seed: step });
        const y = S.dot(trueW, x);
        const { value, grads } = S.valueAndGrad(() => lossOf(x, y), [W]);
        W.assign(S.sub(W, S.mul(grads[0], 0.5)));
        return value;
      });
      losses.push(Number(await loss.array()));
      loss.dispose();
    }
    expect(losses[29]).toBeLessThan(losses[0] / 20);

    // past_velocity = 0; momentum = 0.1; while loss > 0.01: velocity = past_velocity * momentum + lr * gradient; ...
    const target = S.tensor([2, -1]);
    let w = S.tensor([0, 0]);
    let pastVelocity = S.zeros([2]);
    const [momentum, learningRate] = [0.1, 0.1];
    let loss = Infinity;
    let iterations = 0;
    while (loss > 0.01 && iterations < 200) {
      const { value, grads: [gradient] } = S.valueAndGrad(() => S.sum(S.square(S.sub(w, target))), [w]);
      loss = Number(await value.array());
      const velocity = S.tidy(() => S.add(S.mul(pastVelocity, momentum), S.mul(gradient, learningRate)));
      const next = S.tidy(() => S.sub(S.add(w, S.mul(velocity, momentum)), S.mul(gradient, learningRate)));
      S.dispose([value, gradient, w, pastVelocity]);
      [w, pastVelocity] = [next, velocity];
      iterations++;
    }
    expect(loss).toBeLessThanOrEqual(0.01);
    expect(iterations).toBeLessThan(200);
    S.dispose([trueW, W, target, w, pastVelocity]);
  });

  it('loss_value = loss(y_true, softmax(dot(relu(dot(inputs, W1) + b1), W2) + b2)) and its gradients', async () => {
    const [inputs, W1, b1, W2, b2] = [R.arr([4, 6], rng.values(24)), R.arr([6, 5], rng.values(30)), R.arr([5], rng.values(5)), R.arr([5, 3], rng.values(15)), R.arr([3], rng.values(3))];
    const yTrue = R.oneHot(R.arr([4], [0, 2, 1, 2]), 3);
    const probs = R.softmax(R.binary('add', R.matmul(R.dense(inputs, W1, b1, 'relu'), W2), b2));
    const expected = -R.REDUCERS.mean(R.reduce(R.binary('mul', yTrue, R.map(probs, Math.log)), -1, false, R.REDUCERS.sum).data);
    const params = [W1, b1, W2, b2].map((p) => toTensor(p));
    const [x, y] = [toTensor(inputs), toTensor(yTrue)];
    const { value, grads } = S.valueAndGrad(() => {
      const p = S.softmax(S.add(S.dot(S.relu(S.add(S.dot(x, params[0]), params[1])), params[2]), params[3]));
      return S.neg(S.mean(S.sum(S.mul(y, S.log(p)), -1)));
    }, params);
    expect(Number(await value.array())).toBeCloseTo(expected, 5);
    expect(grads.map((g) => g.shape)).toEqual([[6, 5], [5], [5, 3], [3]]);
    // predictions[0]: the highest probability, 0.99999106, is at index 7
    const prediction = S.tensor([1.0726176e-10, 1.6918376e-10, 6.1314843e-08, 8.4106023e-06, 2.9967067e-11, 3.0331331e-09, 8.3651971e-14, 9.9999106e-01, 2.6657624e-08, 3.8127661e-07]);
    expect(await S.argmax(prediction).array()).toBe(7);
    expect(Number(await S.max(prediction).array())).toBeCloseTo(0.99999106, 7);
    S.dispose([params, x, y, value, grads, prediction]);
  });

  it('a batch of four 60-second 144 × 256 videos at 4 fps: (4, 240, 144, 256, 3), 106,168,320 values, 405 MB in float32', () => {
    const shape = [4, 60 * 4, 144, 256, 3];
    expect(shape).toEqual([4, 240, 144, 256, 3]);
    expect(S.sizeOf(shape)).toBe(106_168_320);
    expect((S.sizeOf(shape) * S.bytesPerElement('float32')) / 2 ** 20).toBe(405);
  });
});
