// The kernels compiled to src/wasm/kernels.generated.ts by scripts/gen-wasm.mjs.
export { gemm, GEMM_SCRATCH_BYTES } from './matmul';
export { binaryF32 } from './binary';
export { unaryF32 } from './unary';
export { reduceF32 } from './reduce';
export { im2col, col2im } from './conv';
