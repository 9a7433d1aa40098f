// Reductions of x viewed as [outer, reduceSize, inner]. A launch cuts the reduced axis into `chunks`
// pieces of `chunkLen`; one thread walks each piece and writes out[outer, chunks, inner]. With chunks > 1
// the host reduces those partials again (chunks become the reduced axis) until one remains, so a long axis
// is spread over many threads without workgroup barriers (which SwiftShader makes expensive).
// Pieces are numbered globally (piece = row · chunks + chunk; the launch's first is `first`) and elements
// are addressed globally minus the first element each binding holds (`xStart`, `outStart`), so a launch may
// bind windows: whole rows, or the pieces of a row too long for one binding.
// The kernel prepends `alias In` (x's element), `alias T` (the value type), `alias Out`, `fn load(j: u32,
// r: u32) -> Acc` (element j of x, at index r of the axis), `fn init() -> Acc`, `fn combine(a: Acc, b: Acc)
// -> Acc` (associative; keeps the first index on ties) and `fn finish(a: Acc) -> Out`.
struct Params { threads: u32, reduceSize: u32, inner: u32, chunks: u32, chunkLen: u32, first: u32, xStart: u32, outStart: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<In>;
@group(0) @binding(2) var<storage, read_write> out: array<Out>;

struct Acc { v: T, i: i32 }

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>,
        @builtin(local_invocation_index) lid: u32) {
  let g = linearId(wid, nwg, lid);
  if (g >= p.threads) { return; }
  let column = g % p.inner;
  let piece = p.first + g / p.inner;
  let chunk = piece % p.chunks;
  let row = piece / p.chunks;
  let base = row * p.reduceSize * p.inner + column - p.xStart;
  let end = min((chunk + 1u) * p.chunkLen, p.reduceSize);
  var acc = init();
  for (var r = chunk * p.chunkLen; r < end; r++) { acc = combine(acc, load(base + r * p.inner, r)); }
  out[piece * p.inner + column - p.outStart] = finish(acc);
}
