// out = op(a, b) when each operand is flat (the output's shape, contiguous) or one scalar: no index math;
// run by flat.wgsl. The kernel prepends `alias In/Out`, `fn op(a: In, b: In) -> Out`, the unit types
// `AUnit`/`BUnit`/`OutUnit` (a scalar operand's is In), `A_SCALAR`/`B_SCALAR` and
// `fn apply(a: AUnit, b: BUnit) -> OutUnit` (op on each lane).
@group(0) @binding(1) var<storage, read> a: array<AUnit>;
@group(0) @binding(2) var<storage, read> b: array<BUnit>;
@group(0) @binding(3) var<storage, read_write> out: array<OutUnit>;

fn unit(i: u32) { out[i] = apply(a[select(i, 0u, A_SCALAR)], b[select(i, 0u, B_SCALAR)]); }
