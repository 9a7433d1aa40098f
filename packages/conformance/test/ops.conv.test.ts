import { it } from 'vitest';
import * as S from '@strata/core';
import { forEachBackend } from '../src/harness.ts';
import { Checks, TOL, toTensor } from '../src/check.ts';
import { Rng } from '../src/random-shapes.ts';
import * as R from '../src/reference.ts';
import * as C from '../src/reference-conv.ts';

const rng = new Rng(71);
const rand = (shape: number[]): R.Arr => R.arr(shape, rng.values(R.numel(shape), -2, 2));

type Pair = [number, number];
/** [input shape, kernel shape, strides, dilations, padding, groups, bias + relu]. */
const CONVS: [number[], number[], Pair, Pair, C.Padding, number, boolean][] = [
  [[1, 5, 5, 3], [3, 3, 3, 4], [1, 1], [1, 1], 'valid', 1, false], // batch 1, 3 channels
  [[2, 6, 7, 5], [2, 2, 5, 3], [2, 2], [1, 1], 'same', 1, true], // even kernel, same, strides
  [[2, 7, 6, 2], [3, 3, 2, 5], [1, 1], [2, 2], 'same', 1, false], // dilation
  [[2, 4, 4, 6], [1, 1, 6, 7], [1, 1], [1, 1], 'valid', 1, true], // 1×1 kernel
  [[1, 8, 5, 3], [3, 2, 3, 2], [2, 1], [1, 1], 'same', 1, false], // odd × even kernel, unequal strides
  [[1, 6, 6, 4], [3, 3, 2, 6], [1, 1], [1, 1], 'same', 2, true], // groups
  [[2, 1, 9, 3], [1, 3, 3, 4], [1, 2], [1, 1], 'same', 1, false], // 1-D as height 1
  [[4, 16, 16, 8], [3, 3, 8, 16], [1, 1], [1, 1], 'same', 1, true], // large enough to split over threads
  [[1, 3, 3, 2], [3, 3, 2, 1], [1, 1], [1, 1], 'valid', 1, false], // kernel the size of the image
];

/** [input shape, pool size, strides, padding]. */
const POOLS: [number[], Pair, Pair, C.Padding][] = [
  [[2, 6, 6, 3], [2, 2], [2, 2], 'valid'],
  [[1, 7, 5, 5], [3, 3], [2, 2], 'same'],
  [[2, 5, 5, 2], [2, 2], [2, 2], 'same'], // odd size: the last window hangs over
  [[1, 6, 4, 1], [3, 2], [1, 1], 'valid'],
  [[2, 1, 9, 3], [1, 3], [1, 2], 'same'], // 1-D
  [[4, 26, 26, 32], [2, 2], [2, 2], 'valid'], // the book's first pooling, split over threads
];

forEachBackend(() => {
  it('conv2d: strides, dilation, same padding with odd and even kernels, 1×1, groups, fused bias + relu', async () => {
    const c = new Checks();
    for (const [xs, ks, strides, dilations, padding, groups, epilogue] of CONVS) {
      const x = rand(xs);
      const k = rand(ks);
      const b = rand([ks[3]]);
      const label = `conv2d x(${xs}) k(${ks}) strides ${strides} dilations ${dilations} ${padding} groups ${groups}${epilogue ? ' +bias relu' : ''}`;
      const expected = C.conv2d(x, k, { strides, dilations, padding, groups }, epilogue ? b : undefined, epilogue);
      c.close(label, () => S.conv2d(toTensor(x), toTensor(k), {
        strides, dilations, padding, groups, ...(epilogue ? { bias: toTensor(b), activation: 'relu' as const } : {}),
      }), expected, TOL.loose);
    }
    await c.done();
  });

  it('maxPool2d and avgPool2d: valid and same, odd sizes, 1-D windows (same-padding not counted in the mean)', async () => {
    const c = new Checks();
    for (const [xs, poolSize, strides, padding] of POOLS) {
      const x = rand(xs);
      const w = { kernel: poolSize, strides, padding };
      c.close(`maxPool2d (${xs}) ${poolSize} / ${strides} ${padding}`, () => S.maxPool2d(toTensor(x), { poolSize, strides, padding }), C.pool2d(x, 'max', w), TOL.exact);
      c.close(`avgPool2d (${xs}) ${poolSize} / ${strides} ${padding}`, () => S.avgPool2d(toTensor(x), { poolSize, strides, padding }), C.pool2d(x, 'avg', w), TOL.float);
    }
    await c.done();
  });

  it('im2col (any pad value) and col2im (its adjoint) against direct float64 loops', async () => {
    const c = new Checks();
    const windows: [number[], C.Window][] = [
      [[2, 5, 6, 3], { kernel: [3, 3], padding: 'same' }],
      [[1, 7, 7, 5], { kernel: [2, 3], strides: [2, 3], padding: 'same' }],
      [[2, 6, 5, 1], { kernel: [3, 2], dilations: [2, 1], padding: 'valid' }],
      [[4, 16, 16, 8], { kernel: [3, 3], padding: 'same' }],
    ];
    for (const [xs, w] of windows) {
      const spec = S.patchSpec('test', xs, w.kernel, w.strides ?? 1, w.dilations ?? 1, w.padding ?? 'valid');
      const x = rand(xs);
      c.close(`im2col (${xs}) ${JSON.stringify(w)}`, () => S.im2col(toTensor(x), spec), C.im2col(x, w), TOL.exact);
      c.close(`im2col pad -Inf (${xs})`, () => S.im2col(toTensor(x), spec, -Infinity), C.im2col(x, w, -Infinity), TOL.exact);
      const cols = rand([xs[0], spec.outHeight, spec.outWidth, w.kernel[0] * w.kernel[1], xs[3]]);
      c.close(`col2im (${xs}) ${JSON.stringify(w)}`, () => S.col2im(toTensor(cols), spec), C.col2im(cols, xs, w), TOL.float);
    }
    await c.done();
  });
});
