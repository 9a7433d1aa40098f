import type { DType, TypedArray } from './dtype.ts';
import type { Shape } from './shape.ts';

/**
 * The one op interface. Every backend implements this closed vocabulary; everything else (softmax,
 * cross-entropy, mean, dense, gradients) is composed from it in core. Adding an op name to one of the
 * unions below without implementing it is a compile error in every backend (see `UnaryKernels` etc.).
 *
 * Contract shared by all kernels:
 * - inputs and outputs are dense, row-major, contiguous;
 * - `uint8` and `bool` hold one value per element (0/1 for bool);
 * - a kernel never disposes its inputs; core owns lifetimes and calls `release` exactly once per ref.
 */

/** Opaque per-backend storage handle. Each backend narrows it to its own type. */
export interface DataRef {
  readonly kind: 'cpu' | 'webgpu';
}

export interface TensorInfo {
  readonly ref: DataRef;
  readonly shape: Shape;
  readonly dtype: DType;
}

/** Element-wise unary ops. Output dtype = input dtype. Core only passes float32 to the transcendental ones. */
export const UNARY_OPS = [
  'neg', 'abs', 'exp', 'log', 'sqrt', 'rsqrt', 'square', 'relu', 'sigmoid', 'tanh',
  'sign', 'floor', 'ceil', 'round', 'reciprocal', 'sin', 'cos', 'logicalNot',
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/** Arithmetic binary ops: both inputs share one dtype (core promotes), output has that dtype. */
export const ARITHMETIC_OPS = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'mod'] as const;
/** Comparison/logical binary ops: both inputs share one dtype, output is `bool`. */
export const COMPARE_OPS = ['equal', 'notEqual', 'less', 'lessEqual', 'greater', 'greaterEqual', 'logicalAnd', 'logicalOr'] as const;
export type ArithmeticOp = (typeof ARITHMETIC_OPS)[number];
export type CompareOp = (typeof COMPARE_OPS)[number];
export type BinaryOp = ArithmeticOp | CompareOp;

/**
 * Reductions over the middle axis of `x` viewed as [outer, reduceSize, inner]; output is [outer, inner]
 * (core reshapes). sum/max/min/prod keep the input dtype (core widens uint8/bool sums to int32 first);
 * argmax/argmin give int32 indices of the first extreme. reduceSize may be 0: sum→0, prod→1, max→-Inf,
 * min→+Inf, argmax/argmin→0.
 */
export const REDUCE_OPS = ['sum', 'prod', 'max', 'min', 'argmax', 'argmin'] as const;
export type ReduceOp = (typeof REDUCE_OPS)[number];

export interface ReduceLayout {
  readonly outer: number;
  readonly reduceSize: number;
  readonly inner: number;
}

/**
 * Batched matmul, float32 only. `a` is [batchA, m, k] ([batchA, k, m] when transA), `b` is [batchB, k, n]
 * ([batchB, n, k] when transB); batchA and batchB are each `batch` or 1 (broadcast). Output [batch, m, n].
 * Optional fused epilogue: `bias` (length n, added to every row), then `activation`.
 */
export interface MatmulSpec {
  readonly batch: number;
  readonly batchA: number;
  readonly batchB: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly bias?: TensorInfo;
  readonly activation?: 'relu';
}

/**
 * Image patches for convolution and pooling, channels last. `im2col` maps x [batch, height, width, channels]
 * to cols [batch, outHeight, outWidth, kernelHeight·kernelWidth, channels]: the window of output position
 * (y, x) reads input row y·strideHeight + i·dilationHeight − padTop and column x·strideWidth + j·dilationWidth
 * − padLeft; positions outside the image read `padValue`. `col2im` is its adjoint: each input element
 * gets the sum of the cols entries that read it.
 */
export interface PatchSpec {
  readonly batch: number;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly outHeight: number;
  readonly outWidth: number;
}

/**
 * Counter-based random numbers, identical on every backend: value i of a tensor with seed s is a function
 * of (s, i) only (see `randomBits` in random.ts for the exact hash), so CPU and GPU agree bit for bit.
 */
export interface RandomSpec {
  readonly kind: 'uniform' | 'normal';
  readonly seed: number;
  /** uniform: [a, b); normal: mean a, stddev b. */
  readonly a: number;
  readonly b: number;
}

/** Unary ops a fused program may use: the float32 ones (not `logicalNot`). */
export type FusedUnaryOp = Exclude<UnaryOp, 'logicalNot'>;

/**
 * A fused element-wise program: a float32 expression over the inputs (`input` i) and run-time constants
 * (`constant` j, an index into `FusedProgram.constants`, so new values reuse a compiled kernel).
 */
export type FusedExpr =
  | { readonly input: number }
  | { readonly constant: number }
  | { readonly unary: FusedUnaryOp; readonly x: FusedExpr }
  | { readonly binary: ArithmeticOp; readonly a: FusedExpr; readonly b: FusedExpr };

export interface FusedProgram {
  readonly expr: FusedExpr;
  readonly constants: readonly number[];
}

export interface BackendMemory {
  /** Bytes held by live tensors. */
  readonly bytesInUse: number;
  /** Bytes held in a reuse pool (GPU buffers waiting for reuse); 0 for backends without one. */
  readonly bytesInPool: number;
}

export interface Backend {
  readonly name: 'cpu' | 'webgpu';
  upload(values: TypedArray, shape: Shape, dtype: DType): DataRef;
  /** Async: on the GPU a read is the one sync point. Returns a fresh array the caller may keep. */
  read(x: TensorInfo): Promise<TypedArray>;
  /** Synchronous read for backends that hold values in host memory (the CPU); absent on the GPU. */
  readSync?(x: TensorInfo): TypedArray;
  release(ref: DataRef): void;

  unary(op: UnaryOp, x: TensorInfo): DataRef;
  /** numpy broadcasting by index math: a.shape and b.shape broadcast to outShape (ranks may differ). */
  binary(op: BinaryOp, a: TensorInfo, b: TensorInfo, outShape: Shape): DataRef;
  reduce(op: ReduceOp, x: TensorInfo, layout: ReduceLayout): DataRef;
  matmul(a: TensorInfo, b: TensorInfo, spec: MatmulSpec): DataRef;

  /** Output[i0..] = x[i_perm[0], ...]: out.shape[j] = x.shape[perm[j]]. */
  permute(x: TensorInfo, perm: readonly number[]): DataRef;
  /** Contiguous copy of the box starting at `begin` of extent `size` (step 1). */
  slice(x: TensorInfo, begin: readonly number[], size: readonly number[]): DataRef;
  /** Join along `axis`; all inputs share dtype and every other dimension. */
  concat(xs: readonly TensorInfo[], axis: number): DataRef;
  /** Rows of x (axis 0) picked by int32 `indices` (already range-checked by core): out = [len, ...x.shape[1:]]. */
  gather(x: TensorInfo, indices: TensorInfo): DataRef;
  cast(x: TensorInfo, dtype: DType): DataRef;
  /** float32 image patches (see PatchSpec); padValue is 0 for convolutions, −Infinity for max pooling. */
  im2col(x: TensorInfo, spec: PatchSpec, padValue: number): DataRef;
  /** The adjoint of im2col: cols summed back onto a float32 [batch, height, width, channels] image. */
  col2im(cols: TensorInfo, spec: PatchSpec): DataRef;
  fill(shape: Shape, value: number, dtype: DType): DataRef;
  random(shape: Shape, spec: RandomSpec): DataRef;
  /** Select a where cond is true else b; cond is bool; all three broadcast to outShape. */
  where(cond: TensorInfo, a: TensorInfo, b: TensorInfo, outShape: Shape): DataRef;
  /**
   * `program` evaluated per element in one kernel, each node rounded to float32 as the separate ops would
   * round it. Every input is float32 and either outShape or a single element (broadcast); output is outShape.
   */
  fused(inputs: readonly TensorInfo[], program: FusedProgram, outShape: Shape): DataRef;

  memory(): BackendMemory;
  /** Submit any queued work (no-op on the CPU). */
  flush(): void;
  dispose(): Promise<void>;
}

/** Maps over the op unions: a backend's kernel tables typed with these miss no op without a compile error. */
export type UnaryKernels<F> = { readonly [K in UnaryOp]: F };
export type BinaryKernels<F> = { readonly [K in BinaryOp]: F };
export type ReduceKernels<F> = { readonly [K in ReduceOp]: F };
