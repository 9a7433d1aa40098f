import type { BinaryOp, ReduceOp, UnaryOp } from '@strata/core';

// float32 ops with a wasm kernel, each list in the order of the op codes in assembly/binary.ts,
// assembly/unary.ts and assembly/reduce.ts.
export const BINARY_WASM_OPS: readonly BinaryOp[] = [
  'add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual',
];
export const UNARY_WASM_OPS: readonly UnaryOp[] = ['neg', 'abs', 'sqrt', 'square', 'relu', 'reciprocal'];
export const REDUCE_WASM_OPS: readonly ReduceOp[] = ['sum', 'max', 'argmax'];
