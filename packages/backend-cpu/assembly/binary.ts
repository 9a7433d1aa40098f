// float32 arithmetic and comparisons over broadcast runs (see src/kernels/broadcast.ts): run r writes
// o[r·length + t] = f(a[aStarts[r] + t·aStep], b[bStarts[r] + t·bStep]) with steps 0 or 1; comparisons
// write one byte (0/1, the bool dtype) per element. One switch per four lanes costs
// nothing next to the memory traffic (Binaryen merges per-op copies of the loop back into this form anyway).

/** Op codes, in the order of BINARY_WASM_OPS in src/wasm/ops.ts. */
const ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAXIMUM = 4, MINIMUM = 5;
const EQUAL = 6, NOT_EQUAL = 7, LESS = 8, LESS_EQUAL = 9, GREATER = 10;

// @ts-ignore: decorator
@inline
function vec(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(x, y);
    case SUB: return f32x4.sub(x, y);
    case MUL: return f32x4.mul(x, y);
    case DIV: return f32x4.div(x, y);
    case MAXIMUM: return f32x4.max(x, y);
    case MINIMUM: return f32x4.min(x, y);
    // Comparisons give lane masks (all ones or zero); NaN compares false except for notEqual, as in JS.
    case EQUAL: return f32x4.eq(x, y);
    case NOT_EQUAL: return f32x4.ne(x, y);
    case LESS: return f32x4.lt(x, y);
    case LESS_EQUAL: return f32x4.le(x, y);
    case GREATER: return f32x4.gt(x, y);
    default: return f32x4.ge(x, y);
  }
}

/** Stores the four lanes of element t on: floats, or the comparisons' masks as bytes 0/1. */
// @ts-ignore: decorator
@inline
function put(op: i32, o: usize, t: i32, v: v128): void {
  if (op < EQUAL) v128.store(o + <usize>(t * 4), v);
  else v128.store32_lane(o + <usize>t, i8x16.abs(i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(v, v), v)), 0);
}

/** Stores lane 0 of v as element t. */
// @ts-ignore: decorator
@inline
function putLane(op: i32, o: usize, t: i32, v: v128): void {
  if (op < EQUAL) store<f32>(o + <usize>(t * 4), f32x4.extract_lane(v, 0));
  else store<u8>(o + <usize>t, i32x4.extract_lane(v, 0) & 1);
}

// @ts-ignore: decorator
@inline
function run(op: i32, a: usize, aStep: i32, b: usize, bStep: i32, o: usize, length: i32): void {
  let t = 0;
  if (aStep == 1 && bStep == 1) {
    for (; t + 4 <= length; t += 4) put(op, o, t, vec(op, v128.load(a + <usize>(t * 4)), v128.load(b + <usize>(t * 4))));
  } else if (aStep == 1) {
    const y = v128.load32_splat(b);
    for (; t + 4 <= length; t += 4) put(op, o, t, vec(op, v128.load(a + <usize>(t * 4)), y));
  } else if (bStep == 1) {
    const x = v128.load32_splat(a);
    for (; t + 4 <= length; t += 4) put(op, o, t, vec(op, x, v128.load(b + <usize>(t * 4))));
  }
  for (; t < length; t++) {
    putLane(op, o, t, vec(op, v128.load32_splat(a + <usize>(t * aStep * 4)), v128.load32_splat(b + <usize>(t * bStep * 4))));
  }
}

export function binaryF32(
  op: i32, a: usize, aStep: i32, aStarts: usize, b: usize, bStep: i32, bStarts: usize, o: usize, length: i32, count: i32,
): void {
  for (let r = 0; r < count; r++) {
    const ra = a + <usize>(load<i32>(aStarts + <usize>(r * 4)) * 4);
    const rb = b + <usize>(load<i32>(bStarts + <usize>(r * 4)) * 4);
    run(op, ra, aStep, rb, bStep, o + <usize>(r * length * (op < EQUAL ? 4 : 1)), length);
  }
}
