// y = op(x) element-wise (unary ops and casts), run by flat.wgsl. The kernel prepends `alias In/Out`,
// `fn op(x: In) -> Out`, the unit types `XUnit`/`YUnit` and `fn apply(x: XUnit) -> YUnit` (op on each lane).
@group(0) @binding(1) var<storage, read> x: array<XUnit>;
@group(0) @binding(2) var<storage, read_write> y: array<YUnit>;

fn unit(i: u32) { y[i] = apply(x[i]); }
