// Sum of float32 over the middle axis of [outer, reduceSize, inner], accumulated in float64 in memory
// order, as the TypeScript reference does, so both round once and agree bit for bit.

/** out[o·inner + j] = Σ_r x[(o·reduceSize + r)·inner + j]; `acc` is scratch for `inner` doubles. */
export function sumF32(x: usize, out: usize, outer: i32, reduceSize: i32, inner: i32, acc: usize): void {
  const pairs = inner & ~1;
  for (let o = 0; o < outer; o++) {
    memory.fill(acc, 0, <usize>(inner * 8));
    let row = x + <usize>(o * reduceSize * inner * 4);
    for (let r = 0; r < reduceSize; r++, row += <usize>(inner * 4)) {
      let j = 0;
      for (; j < pairs; j += 2) {
        const at = acc + <usize>(j * 8);
        v128.store(at, f64x2.add(v128.load(at), f64x2.promote_low_f32x4(v128.load64_zero(row + <usize>(j * 4)))));
      }
      if (j < inner) store<f64>(acc + <usize>(j * 8), load<f64>(acc + <usize>(j * 8)) + <f64>load<f32>(row + <usize>(j * 4)));
    }
    const dst = out + <usize>(o * inner * 4);
    for (let j = 0; j < inner; j++) store<f32>(dst + <usize>(j * 4), <f32>load<f64>(acc + <usize>(j * 8)));
  }
}
