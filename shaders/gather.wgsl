// Rows of x picked by int32 indices: out[r, j] = x[indices[r], j]; 32-bit words, any dtype.
// x holds table rows [first, first + count), row `first` at word `offset`: a table larger than one binding
// is bound a window at a time, and each launch writes only the output rows whose index falls in its window.
struct Params { size: u32, inner: u32, first: u32, count: u32, offset: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read> indices: array<i32>;
@group(0) @binding(3) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let i = linearId(wid, nwg, lid);
  if (i >= p.size) { return; }
  let row = u32(indices[i / p.inner]) - p.first; // wraps past `count` for rows before the window
  if (row >= p.count) { return; }
  out[i] = x[p.offset + row * p.inner + i % p.inner];
}
