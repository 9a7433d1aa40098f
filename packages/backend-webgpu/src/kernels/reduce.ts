import type { ReduceKernels, ReduceLayout, ReduceOp, TensorInfo } from '../../../core/src/backend.ts';
import type { GpuContext } from '../context.ts';
import { WORKGROUP_SIZE } from '../context.ts';
import { gpuRef, wordType, type GpuRef, type WordType } from '../gpu-ref.ts';
import { packParams } from '../params.ts';

/** Threads a reduction aims for: below it, long rows are cut into pieces reduced in further passes. */
const TARGET_THREADS = 4096;
/** Shortest piece of a row one thread walks (shorter ones cost more in passes than they save). */
const MIN_CHUNK = 64;

/** Identity element per storage type (empty reductions give it: sum 0, prod 1, max -Inf, min +Inf). */
type Identity = Readonly<Record<WordType, string>>;

interface ReduceWgsl {
  readonly init: Identity;
  /** Acc combining a and b for a storage type; must keep the first index on ties. */
  readonly combine: (t: WordType) => string;
  readonly index: boolean;
}

const value = (init: Identity, expr: (a: string, b: string) => string): ReduceWgsl => ({
  init, combine: () => `return Acc(${expr('a.v', 'b.v')}, 0);`, index: false,
});

// Float sums are compensated (Kahan): the running error, in Acc.i's bits, is subtracted from the next
// addend and travels with the partials, so a 100,000-element sum stays within float32 rounding of its result.
const KAHAN = `let y = (b.v - bitcast<f32>(b.i)) - bitcast<f32>(a.i);
  let s = a.v + y;
  return Acc(s, bitcast<i32>((s - a.v) - y));`;
const SUM = value({ f32: '0.0', i32: '0', u32: '0u' }, (a, b) => `${a} + ${b}`);

const LOWEST: Identity = { f32: '-infF32()', i32: 'i32(-2147483648)', u32: '0u' };
const HIGHEST: Identity = { f32: 'infF32()', i32: '2147483647', u32: '4294967295u' };

// NaN wins (numpy propagates it; argmax points at the first NaN), then the extreme, then the lower index.
const pick = (cmp: '>' | '<'): string =>
  `let an = isNanT(a.v); let bn = isNanT(b.v);
  let takeB = select(select(b.v ${cmp} a.v, b.i < a.i, an || a.v == b.v), bn, an != bn);
  if (takeB) { return b; }
  return a;`;

const OPS: ReduceKernels<ReduceWgsl> = {
  sum: { ...SUM, combine: (t) => (t === 'f32' ? KAHAN : SUM.combine(t)) },
  prod: value({ f32: '1.0', i32: '1', u32: '1u' }, (a, b) => `${a} * ${b}`),
  max: { init: LOWEST, combine: () => pick('>'), index: false },
  min: { init: HIGHEST, combine: () => pick('<'), index: false },
  argmax: { init: LOWEST, combine: () => pick('>'), index: true },
  argmin: { init: HIGHEST, combine: () => pick('<'), index: true },
};

/** How a pass reads x and writes out: tensor words, or partial accumulators (value and index bits as vec2<u32>). */
interface PassIo { readonly from: 'tensor' | 'partials'; readonly to: 'tensor' | 'partials' }

function prelude(op: ReduceOp, t: WordType, io: PassIo): string {
  const { init, combine, index } = OPS[op];
  const finish = io.to === 'partials' ? 'vec2<u32>(bitcast<u32>(a.v), bitcast<u32>(a.i))' : index ? 'a.i' : t === 'u32' ? 'a.v & 255u' : 'a.v'; // uint8 sums and products wrap
  const load = io.from === 'partials' ? 'let w = x[j]; return Acc(bitcast<T>(w.x), bitcast<i32>(w.y));' : `return Acc(x[j], ${index ? 'i32(r)' : '0'});`;
  return [
    `alias In = ${io.from === 'partials' ? 'vec2<u32>' : t};`,
    `alias T = ${t};`,
    `alias Out = ${io.to === 'partials' ? 'vec2<u32>' : index ? 'i32' : t};`,
    `fn isNanT(v: T) -> bool { return ${t === 'f32' ? 'isNan(v)' : 'false'}; }`,
    `fn load(j: u32, r: u32) -> Acc { ${load} }`,
    `fn init() -> Acc { return Acc(${init[t]}, 0); }`,
    `fn combine(a: Acc, b: Acc) -> Acc { ${combine(t)} }`,
    `fn finish(a: Acc) -> Out { return ${finish}; }`,
  ].join('\n');
}

/** Words per element read or written by a pass. */
const words = (side: 'tensor' | 'partials'): number => (side === 'partials' ? 2 : 1);

/** Pieces to cut each reduced row into: enough threads to fill the device, none shorter than MIN_CHUNK. */
function chunksFor(outputs: number, reduceSize: number): number {
  if (outputs >= TARGET_THREADS) return 1;
  return Math.max(1, Math.min(Math.ceil(TARGET_THREADS / outputs), Math.ceil(reduceSize / MIN_CHUNK)));
}

/** x viewed as [outer, reduceSize, inner] reduced over the middle axis to [outer, inner]. */
export function reduce(ctx: GpuContext, op: ReduceOp, x: TensorInfo, layout: ReduceLayout): GpuRef {
  const out = ctx.alloc(layout.outer * layout.inner);
  if (out.elements === 0) return out;
  pass(ctx, op, wordType(x.dtype), gpuRef(x.ref).buffer, out, layout, 'tensor');
  return out;
}

/** One launch over `from` (a tensor or partials); recurses on its partials until each row is one value. */
function pass(ctx: GpuContext, op: ReduceOp, t: WordType, from: GPUBuffer, out: GpuRef, layout: ReduceLayout, fromSide: 'tensor' | 'partials'): void {
  const { outer, reduceSize, inner } = layout;
  let chunks = chunksFor(outer * inner, reduceSize);
  const chunkLen = Math.ceil(reduceSize / chunks);
  if (chunkLen > 0) chunks = Math.ceil(reduceSize / chunkLen);
  const io: PassIo = { from: fromSide, to: chunks > 1 ? 'partials' : 'tensor' };
  const to = chunks > 1 ? ctx.alloc(outer * chunks * inner * words('partials')) : out;
  const pipeline = ctx.pipeline(`reduce:${op}:${t}:${io.from}:${io.to}`, prelude(op, t, io), ['common', 'reduce']);
  // split along `outer` when a buffer exceeds the binding limit: each chunk of rows reads whole reduction rows
  const threadsPerRow = chunks * inner;
  const operands = [
    { buffer: from, stride: reduceSize * inner * words(io.from), span: reduceSize * inner * words(io.from) },
    { buffer: to.buffer, stride: threadsPerRow * words(io.to), span: threadsPerRow * words(io.to) },
  ];
  const params = (rows: number) => packParams([rows * threadsPerRow, reduceSize, inner, chunks, chunkLen]);
  const groups = (rows: number) => Math.ceil((rows * threadsPerRow) / WORKGROUP_SIZE);
  const maxRows = Math.floor((ctx.maxFlatGroups * WORKGROUP_SIZE) / threadsPerRow);
  ctx.runRows(`reduce ${op}`, pipeline, outer, operands, (v) => params(v.rows), groups, maxRows);
  if (chunks === 1) return;
  pass(ctx, op, t, to.buffer, out, { outer, reduceSize: chunks, inner }, 'partials');
  ctx.pool.release(to.buffer); // reusable once the passes reading it are submitted
}
