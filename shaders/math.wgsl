// numpy semantics for the float ops where the WGSL builtins leave edge cases indeterminate (measured on
// SwiftShader: log(0) = -88, log(-1) = 0, tanh(100) = NaN, exp(NaN) = Inf, max ignores NaN). Unary ops
// pass NaN inputs through separately (kernels/unary.ts).

fn log_f32(x: f32) -> f32 {
  if (x == 0.0) { return -infF32(); }
  return select(log(x), nanF32(), x < 0.0);
}

fn sqrt_f32(x: f32) -> f32 { return select(sqrt(x), nanF32(), x < 0.0); }

// tanh saturates to ±1 in float32 beyond |x| = 9; clamping avoids the builtin's inf/inf.
fn tanh_f32(x: f32) -> f32 { return tanh(clamp(x, -10.0, 10.0)); }

// sin and cos by quadrant: WGSL only promises 2^-11 absolute error (SwiftShader's sin(1) is 2e-5 off).
// Cody–Waite reduction by pi/2 in three parts, then Taylor polynomials on |r| <= pi/4 (error < 1e-7).
fn sinPoly(r: f32) -> f32 {
  let r2 = r * r;
  return r + r * r2 * (-0.16666667 + r2 * (0.008333334 + r2 * (-0.0001984127 + r2 * 2.7557319e-6)));
}

fn cosPoly(r: f32) -> f32 {
  let r2 = r * r;
  return 1.0 + r2 * (-0.5 + r2 * (0.041666668 + r2 * (-0.0013888889 + r2 * 2.4801587e-5)));
}

/** sin(x + quarter·pi/2). */
fn sinQuadrant(x: f32, quarter: i32) -> f32 {
  let k = round(x * 0.63661977);
  let r = ((x - k * 1.5703125) - k * 0.00048382679) - k * 2.5632829e-12;
  let q = (i32(k) + quarter) & 3;
  let v = select(sinPoly(r), cosPoly(r), (q & 1) == 1);
  return select(v, -v, q >= 2);
}

fn sin_f32(x: f32) -> f32 { return sinQuadrant(x, 0); }
fn cos_f32(x: f32) -> f32 { return sinQuadrant(x, 1); }

fn maximum_f32(a: f32, b: f32) -> f32 { return select(max(a, b), nanF32(), isNan(a) || isNan(b)); }
fn minimum_f32(a: f32, b: f32) -> f32 { return select(min(a, b), nanF32(), isNan(a) || isNan(b)); }

// numpy power: negative bases allowed for integral exponents; x^0 = 1 even for NaN.
fn pow_f32(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  if (isNan(a) || isNan(b)) { return nanF32(); }
  if (a == 0.0) { return select(0.0, infF32(), b < 0.0); }
  let r = pow(abs(a), b);
  if (a > 0.0) { return r; }
  if (b != floor(b)) { return nanF32(); }
  return select(r, -r, fract(b * 0.5) != 0.0);
}

// Floor-mod (result takes the sign of b), as numpy and Python.
fn mod_f32(a: f32, b: f32) -> f32 {
  if (b == 0.0 || isNan(a) || isNan(b) || !isFinite(a)) { return nanF32(); }
  if (!isFinite(b)) { return select(b, a, a == 0.0 || (a < 0.0) == (b < 0.0)); }
  let r = a - b * trunc(a / b);
  return select(r, r + b, r != 0.0 && (r < 0.0) != (b < 0.0));
}

fn mod_i32(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  let r = a % b;
  return select(r, r + b, r != 0 && (r < 0) != (b < 0));
}

fn notEqual_f32(a: f32, b: f32) -> bool { return a != b || isNan(a) || isNan(b); }
