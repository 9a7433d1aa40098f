// float32 arithmetic over broadcast runs (see src/kernels/broadcast.ts): run r writes o[r·length + t] =
// f(a[aStarts[r] + t·aStep], b[bStarts[r] + t·bStep]) with steps 0 or 1. One switch per four lanes costs
// nothing next to the memory traffic (Binaryen merges per-op copies of the loop back into this form anyway).

/** Op codes, in the order of BINARY_WASM_OPS in src/wasm/ops.ts. */
const ADD = 0, SUB = 1, MUL = 2, DIV = 3, MAXIMUM = 4, MINIMUM = 5;

// @ts-ignore: decorator
@inline
function vec(op: i32, x: v128, y: v128): v128 {
  switch (op) {
    case ADD: return f32x4.add(x, y);
    case SUB: return f32x4.sub(x, y);
    case MUL: return f32x4.mul(x, y);
    case DIV: return f32x4.div(x, y);
    case MAXIMUM: return f32x4.max(x, y);
    default: return f32x4.min(x, y);
  }
}

// @ts-ignore: decorator
@inline
function lane(op: i32, x: f32, y: f32): f32 {
  return f32x4.extract_lane(vec(op, f32x4.splat(x), f32x4.splat(y)), 0);
}

// @ts-ignore: decorator
@inline
function run(op: i32, a: usize, aStep: i32, b: usize, bStep: i32, o: usize, length: i32): void {
  let t = 0;
  if (aStep == 1 && bStep == 1) {
    for (; t + 4 <= length; t += 4) {
      const at = <usize>(t * 4);
      v128.store(o + at, vec(op, v128.load(a + at), v128.load(b + at)));
    }
  } else if (aStep == 1) {
    const y = v128.load32_splat(b);
    for (; t + 4 <= length; t += 4) v128.store(o + <usize>(t * 4), vec(op, v128.load(a + <usize>(t * 4)), y));
  } else if (bStep == 1) {
    const x = v128.load32_splat(a);
    for (; t + 4 <= length; t += 4) v128.store(o + <usize>(t * 4), vec(op, x, v128.load(b + <usize>(t * 4))));
  }
  for (; t < length; t++) {
    store<f32>(o + <usize>(t * 4), lane(op, load<f32>(a + <usize>(t * aStep * 4)), load<f32>(b + <usize>(t * bStep * 4))));
  }
}

export function binaryF32(
  op: i32, a: usize, aStep: i32, aStarts: usize, b: usize, bStep: i32, bStarts: usize, o: usize, length: i32, count: i32,
): void {
  for (let r = 0; r < count; r++) {
    const ra = a + <usize>(load<i32>(aStarts + <usize>(r * 4)) * 4);
    const rb = b + <usize>(load<i32>(bStarts + <usize>(r * 4)) * 4);
    run(op, ra, aStep, rb, bStep, o + <usize>(r * length * 4), length);
  }
}
