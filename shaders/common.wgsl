// Helpers prepended to every kernel (see kernels/*.ts). Element-wise kernels use 256 threads per workgroup
// and a grid that may be split into 2-D when it exceeds 65,535 workgroups per dimension.
const WG = 256u;

fn linearId(wid: vec3<u32>, nwg: vec3<u32>, lid: u32) -> u32 {
  return (wid.y * nwg.x + wid.x) * WG + lid;
}

// Bit tests: SwiftShader folds `x != x` to false, so NaN checks cannot use comparisons.
fn isNan(v: f32) -> bool { return (bitcast<u32>(v) & 0x7fffffffu) > 0x7f800000u; }
fn isFinite(v: f32) -> bool { return (bitcast<u32>(v) & 0x7f800000u) != 0x7f800000u; }

// Read from a var so the compiler cannot fold them into a (forbidden) non-finite constant.
fn nanF32() -> f32 { var bits = 0x7fc00000u; return bitcast<f32>(bits); }
fn infF32() -> f32 { var bits = 0x7f800000u; return bitcast<f32>(bits); }

// Float to int32 like a JS Int32Array store: truncate; NaN and ±Inf give 0 (finite out-of-range saturates).
fn f2i(v: f32) -> i32 { return select(0, i32(v), isFinite(v)); }
// Float to uint8 like a Uint8Array store: truncate, then wrap to 0..255.
fn f2u8(v: f32) -> u32 { return u32(f2i(v)) & 255u; }
