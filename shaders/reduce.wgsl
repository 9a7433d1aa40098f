// Reductions of x viewed as [outer, reduceSize, inner] to out[outer, inner]. The kernel prepends
// `alias T`, `alias Out`, `fn init() -> Acc`, `fn combine(a: Acc, b: Acc) -> Acc` (associative; keeps
// the first index on ties) and `fn finish(a: Acc) -> Out`.
struct Params { outputs: u32, reduceSize: u32, inner: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<T>;
@group(0) @binding(2) var<storage, read_write> out: array<Out>;

struct Acc { v: T, i: i32 }

fn element(o: u32, r: u32) -> Acc {
  let base = (o / p.inner) * p.reduceSize * p.inner + o % p.inner;
  return Acc(x[base + r * p.inner], i32(r));
}

var<workgroup> partial: array<Acc, WG>;

// Long reductions: one workgroup per output, a strided pass per thread, then a tree in workgroup memory.
@compute @workgroup_size(WG)
fn tree(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let o = wid.y * nwg.x + wid.x;
  var acc = init();
  if (o < p.outputs) {
    for (var r = lid; r < p.reduceSize; r += WG) { acc = combine(acc, element(o, r)); }
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    if (lid < half) { partial[lid] = combine(partial[lid], partial[lid + half]); }
    workgroupBarrier();
  }
  if (lid == 0u && o < p.outputs) { out[o] = finish(partial[0]); }
}

// Short reductions: one thread per output walks the reduced axis.
@compute @workgroup_size(WG)
fn serial(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
          @builtin(local_invocation_index) lid: u32) {
  let o = linearId(wid, nwg, lid);
  if (o >= p.outputs) { return; }
  var acc = init();
  for (var r = 0u; r < p.reduceSize; r++) { acc = combine(acc, element(o, r)); }
  out[o] = finish(acc);
}
