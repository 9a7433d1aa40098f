/** The public op functions by kernel-op name: typed as Records, so a new op name without an entry is a compile error. */
import * as S from '@strata/core';
import type { ArithmeticOp, CompareOp, Operand, Tensor, UnaryOp } from '@strata/core';

export const UNARY_FNS: Record<UnaryOp, (x: Tensor) => Tensor> = {
  neg: S.neg, abs: S.abs, exp: S.exp, log: S.log, sqrt: S.sqrt, rsqrt: S.rsqrt, square: S.square, relu: S.relu,
  sigmoid: S.sigmoid, tanh: S.tanh, sign: S.sign, floor: S.floor, ceil: S.ceil, round: S.round,
  reciprocal: S.reciprocal, sin: S.sin, cos: S.cos, logicalNot: S.logicalNot,
};

export const BINARY_FNS: Record<ArithmeticOp | CompareOp, (a: Operand, b: Operand) => Tensor> = {
  add: S.add, sub: S.sub, mul: S.mul, div: S.div, pow: S.pow, maximum: S.maximum, minimum: S.minimum, mod: S.mod,
  equal: S.equal, notEqual: S.notEqual, less: S.less, lessEqual: S.lessEqual, greater: S.greater,
  greaterEqual: S.greaterEqual, logicalAnd: S.logicalAnd, logicalOr: S.logicalOr,
};
