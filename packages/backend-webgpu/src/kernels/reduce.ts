import type { ReduceKernels, ReduceLayout, ReduceOp, TensorInfo } from '../../../core/src/backend.ts';
import type { GpuContext } from '../context.ts';
import { WORKGROUP_SIZE } from '../context.ts';
import { gpuRef, wordType, type GpuRef, type WordType } from '../gpu-ref.ts';
import { packParams } from '../params.ts';

/** Below this many reduced elements one thread per output beats a workgroup per output. */
const SERIAL_MAX = 64;

/** Identity element per storage type (empty reductions give it: sum 0, prod 1, max -Inf, min +Inf). */
type Identity = Readonly<Record<WordType, string>>;

interface ReduceWgsl {
  readonly init: Identity;
  /** Acc combining a and b; must keep the first index on ties. */
  readonly combine: string;
  readonly index: boolean;
}

const value = (init: Identity, expr: (a: string, b: string) => string): ReduceWgsl => ({
  init, combine: `return Acc(${expr('a.v', 'b.v')}, 0);`, index: false,
});

const LOWEST: Identity = { f32: '-infF32()', i32: 'i32(-2147483648)', u32: '0u' };
const HIGHEST: Identity = { f32: 'infF32()', i32: '2147483647', u32: '4294967295u' };

// NaN wins (numpy propagates it; argmax points at the first NaN), then the extreme, then the lower index.
const pick = (cmp: '>' | '<'): string =>
  `let an = isNanT(a.v); let bn = isNanT(b.v);
  let takeB = select(select(b.v ${cmp} a.v, b.i < a.i, an || a.v == b.v), bn, an != bn);
  if (takeB) { return b; }
  return a;`;

const OPS: ReduceKernels<ReduceWgsl> = {
  sum: value({ f32: '0.0', i32: '0', u32: '0u' }, (a, b) => `${a} + ${b}`),
  prod: value({ f32: '1.0', i32: '1', u32: '1u' }, (a, b) => `${a} * ${b}`),
  max: { init: LOWEST, combine: pick('>'), index: false },
  min: { init: HIGHEST, combine: pick('<'), index: false },
  argmax: { init: LOWEST, combine: pick('>'), index: true },
  argmin: { init: HIGHEST, combine: pick('<'), index: true },
};

function prelude(op: ReduceOp, t: WordType): string {
  const { init, combine, index } = OPS[op];
  const finish = index ? 'a.i' : t === 'u32' ? 'a.v & 255u' : 'a.v'; // uint8 sums and products wrap
  return [
    `alias T = ${t};`,
    `alias Out = ${index ? 'i32' : t};`,
    `fn isNanT(v: T) -> bool { return ${t === 'f32' ? 'isNan(v)' : 'false'}; }`,
    `fn init() -> Acc { return Acc(${init[t]}, 0); }`,
    `fn combine(a: Acc, b: Acc) -> Acc { ${combine} }`,
    `fn finish(a: Acc) -> Out { return ${finish}; }`,
  ].join('\n');
}

/** x viewed as [outer, reduceSize, inner] reduced over the middle axis to [outer, inner]. */
export function reduce(ctx: GpuContext, op: ReduceOp, x: TensorInfo, layout: ReduceLayout): GpuRef {
  const outputs = layout.outer * layout.inner;
  const out = ctx.alloc(outputs);
  if (outputs === 0) return out;
  const t = wordType(x.dtype);
  const serial = layout.reduceSize <= SERIAL_MAX;
  const pipeline = ctx.pipeline(`reduce:${op}:${t}`, prelude(op, t), ['common', 'reduce'], serial ? 'serial' : 'tree');
  const { outer, reduceSize, inner } = layout;
  // split along `outer` when a buffer exceeds the binding limit: each chunk reads whole reduction rows
  const operands = [
    { buffer: gpuRef(x.ref).buffer, stride: reduceSize * inner, span: reduceSize * inner },
    { buffer: out.buffer, stride: inner, span: inner },
  ];
  const groups = (rows: number) => (serial ? Math.ceil((rows * inner) / WORKGROUP_SIZE) : rows * inner);
  const maxRows = Math.floor((ctx.maxFlatGroups * (serial ? WORKGROUP_SIZE : 1)) / inner);
  ctx.runRows(`reduce ${op}`, pipeline, outer, operands, (v) => packParams([v.rows * inner, reduceSize, inner]), groups, maxRows);
  return out;
}
