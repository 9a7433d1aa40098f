// float32 sum, max and argmax over the middle axis of [outer, reduceSize, inner]. Sum and max accumulate
// in float64 (max is exact either way), so they round once, like the TypeScript definitions.

/** Op codes, in the order of REDUCE_WASM_OPS in src/wasm/ops.ts. */
const SUM = 0, MAX = 1;

// @ts-ignore: decorator
@inline
function combine(op: i32, acc: v128, v: v128): v128 {
  return op == SUM ? f64x2.add(acc, v) : f64x2.max(acc, v);
}

/** Two float32 at p, widened to float64. */
// @ts-ignore: decorator
@inline
function wide(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/**
 * out[o·inner + j] = reduce_r x[(o·reduceSize + r)·inner + j]; argmax gives the first index of the
 * largest value (the first NaN wins, as in numpy) as an int32. `acc` is scratch for `inner` doubles.
 */
export function reduceF32(op: i32, x: usize, out: usize, outer: i32, reduceSize: i32, inner: i32, acc: usize): void {
  const init = op == SUM ? 0 : -Infinity;
  for (let o = 0; o < outer; o++) {
    const from = x + <usize>(o * reduceSize * inner * 4);
    const dst = out + <usize>(o * inner * 4);
    if (op > MAX) argmaxColumns(from, dst, reduceSize, inner);
    else if (inner == 1) store<f32>(dst, <f32>reduceRow(op, from, reduceSize, init));
    else reduceColumns(op, from, dst, reduceSize, inner, acc, init);
  }
}

/** One contiguous row: four float64x2 partial results (the sum in a different order than one accumulator). */
function reduceRow(op: i32, x: usize, n: i32, init: f64): f64 {
  let a0 = f64x2.splat(init), a1 = a0, a2 = a0, a3 = a0;
  let r = 0;
  for (; r + 8 <= n; r += 8) {
    const p = x + <usize>(r * 4);
    a0 = combine(op, a0, wide(p));
    a1 = combine(op, a1, wide(p + 8));
    a2 = combine(op, a2, wide(p + 16));
    a3 = combine(op, a3, wide(p + 24));
  }
  // The tail goes into lane 0 only (lane 1 gets the identity `init`).
  for (; r < n; r++) a0 = combine(op, a0, f64x2.replace_lane(f64x2.splat(init), 0, load<f32>(x + <usize>(r * 4))));
  const a = combine(op, combine(op, a0, a1), combine(op, a2, a3));
  return f64x2.extract_lane(combine(op, a, v128.swizzle(a, i8x16(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7))), 0);
}

/** Rows of `inner` values folded in memory order into one float64 per column. */
function reduceColumns(op: i32, x: usize, out: usize, reduceSize: i32, inner: i32, acc: usize, init: f64): void {
  const pairs = inner & ~1;
  for (let j = 0; j < inner; j++) store<f64>(acc + <usize>(j * 8), init);
  for (let r = 0; r < reduceSize; r++, x += <usize>(inner * 4)) {
    let j = 0;
    for (; j < pairs; j += 2) {
      const at = acc + <usize>(j * 8);
      v128.store(at, combine(op, v128.load(at), wide(x + <usize>(j * 4))));
    }
    if (j < inner) {
      const at = acc + <usize>(j * 8);
      store<f64>(at, f64x2.extract_lane(combine(op, f64x2.splat(load<f64>(at)), f64x2.splat(load<f32>(x + <usize>(j * 4)))), 0));
    }
  }
  for (let j = 0; j < inner; j++) store<f32>(out + <usize>(j * 4), <f32>load<f64>(acc + <usize>(j * 8)));
}

function argmaxColumns(x: usize, out: usize, reduceSize: i32, inner: i32): void {
  for (let j = 0; j < inner; j++) {
    let best = load<f32>(x + <usize>(j * 4));
    let index = 0;
    for (let r = 1; r < reduceSize; r++) {
      const v = load<f32>(x + <usize>((r * inner + j) * 4));
      if (v > best || (v != v && best == best)) {
        best = v;
        index = r;
      }
    }
    store<i32>(out + <usize>(j * 4), index);
  }
}
