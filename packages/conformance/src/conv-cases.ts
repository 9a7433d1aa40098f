import * as S from '@strata/core';
import type { Tensor } from '@strata/core';
import * as C from './reference-conv.ts';
import type { Arr } from './reference.ts';

/** A gradient check of gradients.test.ts: forward on the backend, the float64 reference for finite differences. */
export interface ConvGradCase {
  readonly label: string;
  readonly inputs: readonly Arr[];
  readonly forward: (xs: readonly Tensor[]) => Tensor;
  readonly reference: (xs: readonly Arr[]) => Arr;
}

type Draw = (shape: number[]) => Arr;

/** A window and the core PatchSpec that describes it for an input of `shape`. */
function windowed(shape: number[], w: C.Window): { spec: S.PatchSpec; w: C.Window } {
  return { spec: S.patchSpec('test', shape, w.kernel, w.strides ?? 1, w.dilations ?? 1, w.padding ?? 'valid'), w };
}

/** im2col itself, and the ops composed on it: grouped conv2d and pooling. */
export function im2colGradCases(draw: Draw, distinct: Draw): ConvGradCase[] {
  const p = windowed([2, 4, 5, 3], { kernel: [2, 3], strides: [2, 1], padding: 'same' });
  return [
    { label: 'im2col 2×3 stride (2,1) same', inputs: [draw([2, 4, 5, 3])], forward: ([x]) => S.im2col(x, p.spec), reference: ([x]) => C.im2col(x, p.w) },
    {
      label: 'conv2d groups 2, 3×3 same',
      inputs: [draw([1, 4, 4, 4]), draw([3, 3, 2, 4]), draw([4])],
      forward: ([x, k, b]) => S.conv2d(x, k, { groups: 2, padding: 'same', bias: b }),
      reference: ([x, k, b]) => C.conv2d(x, k, { groups: 2, padding: 'same' }, b),
    },
    {
      label: 'maxPool2d 3×3 stride 2 same',
      inputs: [distinct([2, 5, 6, 2])],
      forward: ([x]) => S.maxPool2d(x, { poolSize: 3, strides: 2, padding: 'same' }),
      reference: ([x]) => C.pool2d(x, 'max', { kernel: [3, 3], strides: [2, 2], padding: 'same' }),
    },
    {
      label: 'avgPool2d 2×2 same (padding not counted)',
      inputs: [draw([1, 5, 3, 3])],
      forward: ([x]) => S.avgPool2d(x, { poolSize: 2, padding: 'same' }),
      reference: ([x]) => C.pool2d(x, 'avg', { kernel: [2, 2], padding: 'same' }),
    },
  ];
}

export function col2imGradCases(draw: Draw): ConvGradCase[] {
  const p = windowed([1, 5, 4, 2], { kernel: [3, 2], dilations: [1, 2], padding: 'same' });
  const cols = [1, p.spec.outHeight, p.spec.outWidth, 6, 2];
  return [{
    label: 'col2im 3×2 dilation (1,2) same',
    inputs: [draw(cols)],
    forward: ([c]) => S.col2im(c, p.spec),
    reference: ([c]) => C.col2im(c, [1, 5, 4, 2], p.w),
  }];
}

/** conv2d with one group: its own tape node (strides, dilation, same padding, bias, relu, a sliced weight gradient). */
export function conv2dGradCases(draw: Draw): ConvGradCase[] {
  // relu: inputs redrawn until no output sits near the kink
  let relu: Arr[];
  do relu = [draw([2, 5, 4, 3]), draw([2, 2, 3, 2]), draw([2])];
  while (C.conv2d(relu[0], relu[1], { padding: 'same' }, relu[2]).data.some((v) => Math.abs(v) < 0.05));
  return [
    {
      label: 'conv2d 3×3 stride 2 valid, bias',
      inputs: [draw([2, 7, 6, 3]), draw([3, 3, 3, 2]), draw([2])],
      forward: ([x, k, b]) => S.conv2d(x, k, { strides: 2, bias: b }),
      reference: ([x, k, b]) => C.conv2d(x, k, { strides: [2, 2] }, b),
    },
    {
      label: 'conv2d 2×2 dilation 2 same',
      inputs: [draw([1, 5, 5, 2]), draw([2, 2, 2, 3])],
      forward: ([x, k]) => S.conv2d(x, k, { dilations: 2, padding: 'same' }),
      reference: ([x, k]) => C.conv2d(x, k, { dilations: [2, 2], padding: 'same' }),
    },
    {
      label: 'conv2d 2×2 same, bias + relu',
      inputs: relu,
      forward: ([x, k, b]) => S.conv2d(x, k, { padding: 'same', bias: b, activation: 'relu' }),
      reference: ([x, k, b]) => C.conv2d(x, k, { padding: 'same' }, b, true),
    },
    {
      label: 'conv2d 1×1 over 2,205 patch rows (the weight gradient in 5 slices)',
      inputs: [draw([5, 21, 21, 1]), draw([1, 1, 1, 2]), draw([2])],
      forward: ([x, k, b]) => S.conv2d(x, k, { bias: b }),
      reference: ([x, k, b]) => C.conv2d(x, k, {}, b),
    },
  ];
}
