import type { ReduceKernels, ReduceLayout, ReduceOp, TensorInfo } from '@strata/core';
import type { GpuContext, RowsView } from '../context.ts';
import { WORKGROUP_SIZE } from '../context.ts';
import { gpuRef, wordType, type GpuRef, type WordType } from '../gpu-ref.ts';
import { packParams } from '../params.ts';
import type { RowAccess } from '../split.ts';
import { copy, slice } from './movement.ts';

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

/** Most positions of the reduced axis one binding window holds, each `inner` elements of `side`. */
const windowLen = (ctx: GpuContext, inner: number, side: 'tensor' | 'partials'): number => Math.floor(ctx.maxWindowWords / (inner * words(side)));

/** Pieces to cut each reduced row into: enough threads to fill the device, none shorter than MIN_CHUNK. */
function chunksFor(outputs: number, reduceSize: number): number {
  if (outputs >= TARGET_THREADS) return 1;
  return Math.max(1, Math.min(Math.ceil(TARGET_THREADS / outputs), Math.ceil(reduceSize / MIN_CHUNK)));
}

/** x viewed as [outer, reduceSize, inner] reduced over the middle axis to [outer, inner]. */
export function reduce(ctx: GpuContext, op: ReduceOp, x: TensorInfo, layout: ReduceLayout): GpuRef {
  const { outer, reduceSize, inner } = layout;
  // A row longer than a binding is cut into pieces of whole [inner] slices; passes over partials need two
  // slices (2 words per element) in a binding to make progress, so wider columns are reduced block by block.
  if (reduceSize > windowLen(ctx, inner, 'tensor') && windowLen(ctx, inner, 'partials') < 2) return reduceColumnBlocks(ctx, op, x, layout);
  const out = ctx.alloc(outer * inner);
  if (out.elements === 0) return out;
  pass(ctx, op, wordType(x.dtype), gpuRef(x.ref).buffer, out, layout, 'tensor');
  return out;
}

/** Reduces x's columns in blocks narrow enough for pieces: each block is copied out contiguous, reduced, and copied into place. */
function reduceColumnBlocks(ctx: GpuContext, op: ReduceOp, x: TensorInfo, layout: ReduceLayout): GpuRef {
  const { outer, reduceSize, inner } = layout;
  const out = ctx.alloc(outer * inner);
  const view = { ...x, shape: [outer, reduceSize, inner] };
  const width = Math.floor(ctx.maxWindowWords / 4);
  for (let c = 0; c < inner; c += width) {
    const w = Math.min(width, inner - c);
    const block = slice(ctx, view, [0, 0, c], [outer, reduceSize, w]);
    const part = reduce(ctx, op, { ...x, ref: block, shape: [outer, reduceSize, w] }, { outer, reduceSize, inner: w });
    copy(ctx, part.buffer, out.buffer, [outer, w], [w, 1], [inner, 1], 0, c);
    ctx.pool.release(block.buffer);
    ctx.pool.release(part.buffer);
  }
  return out;
}

/** The first word operand j's binding holds for launch `v` (its whole buffer: 0). */
const windowStart = (op: RowAccess, v: RowsView, j: number): number => (op.base ?? 0) + v.start * op.stride - v.offsets[j];

/** One pass over `from` (a tensor or partials); recurses on its partials until each row is one value. */
function pass(ctx: GpuContext, op: ReduceOp, t: WordType, from: GPUBuffer, out: GpuRef, layout: ReduceLayout, fromSide: 'tensor' | 'partials'): void {
  const { outer, reduceSize, inner } = layout;
  // a row too long for one binding is cut into pieces that fit, and each piece is launched as a row of its own
  const fit = windowLen(ctx, inner, fromSide);
  const byPieces = reduceSize > fit;
  let chunks = Math.max(chunksFor(outer * inner, reduceSize), byPieces ? Math.ceil(reduceSize / fit) : 1);
  const chunkLen = Math.ceil(reduceSize / chunks);
  if (chunkLen > 0) chunks = Math.ceil(reduceSize / chunkLen);
  const io: PassIo = { from: fromSide, to: chunks > 1 ? 'partials' : 'tensor' };
  const to = chunks > 1 ? ctx.alloc(outer * chunks * inner * words('partials')) : out;
  const pipeline = ctx.pipeline(`reduce:${op}:${t}:${io.from}:${io.to}`, prelude(op, t, io), ['common', 'reduce']);
  const [xw, ow] = [words(io.from), words(io.to)];
  /** `units` rows of work of `pieces` pieces each, reading x and writing y; both may be windows starting anywhere. */
  const launch = (units: number, pieces: number, x: RowAccess, y: RowAccess, firstPiece: number) => {
    const threads = pieces * inner;
    const params = (v: RowsView) => packParams([v.rows * threads, reduceSize, inner, chunks, chunkLen, firstPiece + v.start * pieces, windowStart(x, v, 0) / xw, windowStart(y, v, 1) / ow]);
    const maxRows = Math.floor((ctx.maxFlatGroups * WORKGROUP_SIZE) / threads);
    ctx.runRows(`reduce ${op}`, pipeline, units, [x, y], params, (n) => Math.ceil((n * threads) / WORKGROUP_SIZE), maxRows);
  };
  const rowWords = reduceSize * inner * xw;
  if (!byPieces) {
    launch(outer, chunks, { buffer: from, stride: rowWords, span: rowWords, offsettable: true }, { buffer: to.buffer, stride: chunks * inner * ow, span: chunks * inner * ow, offsettable: true }, 0);
  } else {
    // the pieces of one row are evenly spaced (the last may be shorter), those of different rows are not
    const pieceWords = chunkLen * inner * xw;
    for (let o = 0; o < outer; o++) {
      const x = { buffer: from, stride: pieceWords, span: pieceWords, base: o * rowWords, offsettable: true };
      launch(chunks, 1, x, { buffer: to.buffer, stride: inner * ow, span: inner * ow, base: o * chunks * inner * ow, offsettable: true }, o * chunks);
    }
  }
  if (chunks === 1) return;
  pass(ctx, op, t, to.buffer, out, { outer, reduceSize: chunks, inner }, 'partials');
  ctx.pool.release(to.buffer); // reusable once the passes reading it are submitted
}
