import { expect, it } from 'vitest';
import * as S from '@strata/core';
import type { DType, Tensor } from '@strata/core';
import { forEachBackend } from '../src/harness.ts';

/** [what, the call, the message it must throw (a substring or pattern)]. */
type ErrorCase = [string, () => unknown, string | RegExp];

const t = (shape: number[]): Tensor => S.zeros(shape);

const CASES: ErrorCase[] = [
  ['dot shape mismatch', () => S.dot(t([3, 4]), t([5])), 'dot: shapes (3,4) and (5,) are not aligned: 4 != 5'],
  ['dot matrix mismatch', () => S.dot(t([2, 3]), t([4, 2])), 'dot: shapes (2,3) and (4,2) are not aligned: 3 != 4'],
  ['matmul mismatch', () => S.matmul(t([2, 3]), t([4, 5])), 'matmul: shapes (2,3) and (4,5) are not aligned: 3 != 4'],
  ['matmul transposed mismatch', () => S.matmul(t([2, 3]), t([3, 2]), false, true), /matmul: shapes \(2,3\) and \(3,2\) are not aligned \(transposeA=false, transposeB=true\): 3 != 2/],
  ['matmul batch mismatch', () => S.matmul(t([2, 2, 3]), t([3, 3, 2])), 'matmul: shapes (2,2,3) and (3,3,2) have different batch axes (2,) and (3,); they must be equal, or one side must have none'],
  ['max over an empty axis', () => S.max(t([2, 0]), 1), 'max: zero-size reduction over axis 1 of shape (2,0), which has no identity (as numpy refuses)'],
  ['min over an empty axis', () => S.min(t([0, 3]), 0), 'min: zero-size reduction over axis 0 of shape (0,3), which has no identity'],
  ['argmax over an empty axis', () => S.argmax(t([3, 0]), -1), 'argmax: zero-size reduction over axis 1 of shape (3,0)'],
  ['argmin of an empty tensor', () => S.argmin(t([0])), 'argmin: zero-size reduction over axis 0 of shape (0,)'],
  ['BigInt in tensor()', () => S.tensor([1n, 2] as never), 'tensor: element at [0] is 1n (bigint); expected a number or boolean (BigInt is not supported: convert with Number(x))'],
  ['matmul of a vector', () => S.matmul(t([3]), t([3, 2])), /matmul: operands need rank ≥ 2, got shapes \(3,\) and \(3,2\)/],
  ['add broadcast mismatch', () => S.add(t([2, 3]), t([4])), 'add: shapes (2,3) and (4,) cannot be broadcast together (axis -1: 3 vs 4)'],
  ['less broadcast mismatch', () => S.less(t([2, 3]), t([3, 2])), 'less: shapes (2,3) and (3,2) cannot be broadcast together'],
  ['dense mismatch', () => S.dense(t([2, 3]), t([4, 5])), 'dense: input (2,3) and kernel (4,5) are not aligned'],
  ['sum bad axis', () => S.sum(t([2, 3]), 2), 'sum: axis 2 is out of range for a tensor of rank 2; valid axes are -2 to 1'],
  ['max bad negative axis', () => S.max(t([2, 3]), -3), 'max: axis -3 is out of range for a tensor of rank 2'],
  ['mean repeated axis', () => S.mean(t([2, 3]), [1, -1]), 'mean: repeated axis'],
  ['softmax bad axis', () => S.softmax(t([2, 3]), 5), 'softmax: axis 5 is out of range'],
  ['lstmCell shapes', () => S.lstmCell(t([2, 12]), t([2, 4])), 'lstmCell: z must be [batch, 4·units] and cPrev [batch, units]; got z (2,12) and cPrev (2,4)'],
  ['gruCell shapes', () => S.gruCell(t([2, 8]), t([3, 2])), 'gruCell: m must be [batch, 4·units] and hPrev [batch, units]; got m (2,8) and hPrev (3,2)'],
  ['concat bad axis', () => S.concat([t([2]), t([2])], 1), 'concat: axis 1 is out of range for a tensor of rank 1'],
  ['transpose bad perm', () => S.transpose(t([2, 3]), [0, 0]), 'transpose: perm [0, 0] is not a permutation of the 2 axes of shape (2,3)'],
  ['reshape wrong size', () => S.reshape(t([2, 3]), [4, 2]), 'reshape: cannot reshape a tensor of shape (2,3) (6 elements) into (4,2) (8 elements)'],
  ['reshape -1 not dividing', () => S.reshape(t([2, 3]), [4, -1]), 'reshape: cannot reshape a tensor of shape (2,3) (6 elements) into (4,-1)'],
  ['reshape two -1', () => S.reshape(t([2, 3]), [-1, -1]), 'reshape: only one dimension may be -1'],
  ['squeeze non-1 axis', () => S.squeeze(t([2, 1]), 0), 'squeeze: axis 0 of shape (2,1) has size 2, not 1'],
  ['slice index out of range', () => S.slice(t([3, 4]), '3'), 'slice: index 3 is out of range for axis 0 of size 3 (shape (3,4))'],
  ['slice negative index out of range', () => S.slice(t([3, 4]), ':, -5'), 'slice: index -5 is out of range for axis 1 of size 4'],
  ['slice too many indices', () => S.slice(t([3]), '1, 2'), 'slice: 2 indices given for a tensor of rank 1'],
  ['slice step', () => S.slice(t([6]), '::2'), "slice: step '2' in '::2' is not supported"],
  ['slice not a number', () => S.slice(t([6]), 'a:3'), "slice: 'a:3' in 'a:3' is not an integer index or start:stop range"],
  ['gather index out of range', () => S.gather(t([3, 2]), [0, 3]), 'gather: index 3 is out of range for axis 0 of size 3'],
  ['gather negative index', () => S.gather(t([3, 2]), [-1]), 'gather: index -1 is out of range for axis 0 of size 3'],
  ['gather float indices', () => S.gather(t([3]), S.tensor([0, 1])), 'gather: indices must be a 1-D int32 tensor, got float32 of shape (2,)'],
  ['unknown dtype in tensor', () => S.tensor([1, 2], undefined, 'float64' as DType), 'tensor: unknown dtype "float64"; valid dtypes are float32, int32, uint8, bool'],
  ['unknown dtype in zeros', () => S.zeros([2], 'int64' as DType), 'fill: unknown dtype "int64"'],
  ['ragged nested array', () => S.tensor([[1, 2], [3]]), 'tensor: ragged nested array: element at [1] has length 1 but its siblings have length 2 (inferred shape (2,2))'],
  ['ragged deeper', () => S.tensor([[[1], [2]], [[3]]]), 'tensor: ragged nested array: element at [1] has length 1 but its siblings have length 2'],
  ['non-number element', () => S.tensor([1, 'x' as unknown as number]), 'tensor: element at [1] is "x" (string); expected a number or boolean'],
  ['values do not fill shape', () => S.tensor([1, 2, 3], [2, 2]), 'tensor: 3 values cannot fill shape (2,2) (4 elements)'],
  ['negative dimension', () => S.zeros([2, -1]), 'fill: shape [2, -1] has an invalid dimension -1'],
  ['rank above 5', () => S.zeros([1, 1, 1, 1, 1, 1]), 'fill: rank 6 is not supported; ranks 0 to 5 are'],
  ['where non-bool condition', () => S.where(t([2]), t([2]), t([2])), 'where: condition must be a bool tensor, got float32'],
  ['oneHot float indices', () => S.oneHot(t([2]), 3), 'oneHot: indices must be int32 or uint8, got float32'],
  ['clipByValue min above max', () => S.clipByValue(t([2]), 1, 0), 'clipByValue: min 1 must not exceed max 0'],
  ['use after dispose', () => { const x = t([2]); x.dispose(); return S.add(x, 1); }, /cannot pass to add a disposed tensor/],
  ['range step 0', () => S.range(0, 5, 0), 'range: step must be a finite non-zero number, got 0'],
  ['Variable assign shape', () => new S.Variable(t([2]), 'w').assign(t([3])), "Variable 'w'.assign: expected (shape [2], float32), got (shape [3], float32)"],
  ['tidy returning a Promise', () => S.tidy(() => Promise.resolve(1)), 'tidy: the function returned a Promise'],
  ['unknown backend', () => S.setBackend('tpu'), 'setBackend: unknown backend "tpu"'],
];

forEachBackend(() => {
  it('every misuse throws a message naming the op and the offending shapes/values', async () => {
    const before = S.memory().numTensors;
    const problems: string[] = [];
    for (const [what, call, message] of CASES) {
      try {
        let pending: unknown;
        S.tidy(() => {
          const result = call();
          if (result instanceof Promise) pending = result;
        });
        await pending;
        problems.push(`${what}: did not throw`);
      } catch (err) {
        const text = (err as Error).message;
        const ok = typeof message === 'string' ? text.includes(message) : message.test(text);
        if (!ok) problems.push(`${what}: threw "${text}"`);
      }
    }
    expect(problems).toEqual([]);
    expect(S.memory().numTensors).toBe(before + 1); // only the Variable from the assign case survives tidy
  });
});
