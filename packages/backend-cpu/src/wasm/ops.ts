import type { ArithmeticOp, UnaryOp } from '../../../core/src/backend.ts';

/** float32 ops with a wasm kernel, in the order of the op codes in assembly/binary.ts and assembly/unary.ts. */
export const BINARY_WASM_OPS: readonly ArithmeticOp[] = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'];
export const UNARY_WASM_OPS: readonly UnaryOp[] = ['neg', 'abs', 'sqrt', 'square', 'relu', 'reciprocal'];
