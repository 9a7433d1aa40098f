// float32 unary ops whose SIMD instruction gives exactly what the float64-then-round TypeScript
// definition gives (sqrt, ×, ÷ are correctly rounded either way). One switch per four lanes, as in binary.ts.

/** Op codes, in the order of UNARY_WASM_OPS in src/wasm/ops.ts. */
const NEG = 0, ABS = 1, SQRT = 2, SQUARE = 3, RELU = 4, RECIPROCAL = 5;

// @ts-ignore: decorator
@inline
function vec(op: i32, x: v128): v128 {
  switch (op) {
    case NEG: return f32x4.neg(x);
    case ABS: return f32x4.abs(x);
    case SQRT: return f32x4.sqrt(x);
    case SQUARE: return f32x4.mul(x, x);
    // x < 0 ? 0 : x keeps NaN, like numpy's maximum(x, 0).
    case RELU: return v128.bitselect(f32x4.splat(0), x, f32x4.lt(x, f32x4.splat(0)));
    default: return f32x4.div(f32x4.splat(1), x);
  }
}

export function unaryF32(op: i32, x: usize, o: usize, length: i32): void {
  let t = 0;
  for (; t + 4 <= length; t += 4) v128.store(o + <usize>(t * 4), vec(op, v128.load(x + <usize>(t * 4))));
  for (; t < length; t++) {
    store<f32>(o + <usize>(t * 4), f32x4.extract_lane(vec(op, v128.load32_splat(x + <usize>(t * 4))), 0));
  }
}
