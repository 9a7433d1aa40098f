import type { UnaryKernels, UnaryOp, DType, TypedArray } from '@strata/core';

/** o[i] = f(x[i]) over the whole array; storing into the typed array rounds to float32 or wraps ints. */
type UnaryLoop = (x: TypedArray, o: TypedArray) => void;

/** numpy rounding: halves go to the even neighbour. */
function roundHalfEven(v: number): number {
  const r = Math.round(v); // halves up
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

const FLOAT: UnaryKernels<UnaryLoop> = {
  neg: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = -x[i]; },
  abs: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.abs(x[i]); },
  exp: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.exp(x[i]); },
  log: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.log(x[i]); },
  sqrt: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.sqrt(x[i]); },
  rsqrt: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = 1 / Math.sqrt(x[i]); },
  square: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = x[i] * x[i]; },
  // `x < 0 ? 0 : x` keeps NaN, like numpy's maximum(x, 0).
  relu: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = x[i] < 0 ? 0 : x[i]; },
  sigmoid: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = 1 / (1 + Math.exp(-x[i])); },
  tanh: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.tanh(x[i]); },
  // sign(0) = 0 and sign(NaN) = NaN, as in numpy.
  sign: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.sign(x[i]); },
  floor: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.floor(x[i]); },
  ceil: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.ceil(x[i]); },
  round: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = roundHalfEven(x[i]); },
  reciprocal: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = 1 / x[i]; },
  sin: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.sin(x[i]); },
  cos: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.cos(x[i]); },
  logicalNot: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = x[i] === 0 ? 1 : 0; },
};

/** int32 squares overflow 2^53 before wrapping, so they need the 32-bit multiply. */
const INT32: UnaryKernels<UnaryLoop> = {
  ...FLOAT,
  square: (x, o) => { for (let i = 0; i < x.length; i++) o[i] = Math.imul(x[i], x[i]); },
};

export function unary(op: UnaryOp, x: TypedArray, dtype: DType, out: TypedArray): void {
  (dtype === 'int32' ? INT32 : FLOAT)[op](x, out);
}
