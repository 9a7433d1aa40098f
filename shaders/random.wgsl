// The counter-based generator of packages/core/src/random.ts, bit for bit: value i depends only on (seed, i).
// `start` is the first element of this launch (a large tensor may be filled in several).
struct Params { size: u32, seed: u32, a: f32, b: f32, start: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;

// PCG output hash (Jarzynski & Olano 2020); u32 arithmetic wraps like Math.imul.
fn pcgHash(v: u32) -> u32 {
  let state = v * 747796405u + 2891336453u;
  let word = ((state >> ((state >> 28u) + 4u)) ^ state) * 277803737u;
  return (word >> 22u) ^ word;
}

fn randomBits(i: u32) -> u32 { return pcgHash(pcgHash(p.seed) + i); }

// 24 random bits scaled to [0, 1): exact in float32.
fn unit(i: u32) -> f32 { return f32(randomBits(i) >> 8u) * 5.9604644775390625e-8; }

@compute @workgroup_size(WG)
fn sampleUniform(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                 @builtin(local_invocation_index) lid: u32) {
  let i = linearId(wid, nwg, lid);
  if (i >= p.size) { return; }
  out[i] = p.a + (p.b - p.a) * unit(p.start + i);
}

// Box–Muller over the draws (2i, 2i+1); u1 in (0, 1] keeps the log finite.
@compute @workgroup_size(WG)
fn sampleNormal(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
                @builtin(local_invocation_index) lid: u32) {
  let i = linearId(wid, nwg, lid);
  if (i >= p.size) { return; }
  let g = p.start + i;
  let u1 = f32((randomBits(2u * g) >> 8u) + 1u) * 5.9604644775390625e-8;
  let u2 = unit(2u * g + 1u);
  out[i] = p.a + p.b * sqrt(-2.0 * log(u1)) * cos_f32(6.283185307179586 * u2);
}
