import { WORKGROUP_SIZE, type GpuContext } from './context.ts';
import { packParams } from './params.ts';

/**
 * Element-wise launches on flat operands (shaders/flat.wgsl running unary.wgsl or binary-flat.wgsl): every
 * operand is either the output's shape, contiguous, or one scalar, so element i is at word i: no index math.
 */

/** Most workgroups a flat launch uses; threads then loop over the units (fewer, longer-lived threads). */
const MAX_GROUPS = 128;

/** Elements per unit: 4 (vec4 loads and stores) when the element count allows. */
export type Width = 1 | 4;

export const widthFor = (elements: number): Width => (elements % 4 === 0 ? 4 : 1);

/** A flat operand of a launch: its WGSL element type, and whether it is one scalar broadcast to all. */
export interface FlatOperand {
  readonly name: string;
  readonly type: string;
  readonly scalar: boolean;
}

const unitType = (type: string, width: Width, scalar = false): string => (width === 4 && !scalar ? `vec4<${type}>` : type);

/**
 * WGSL prelude lines: `alias <Name>Unit` per operand and for the output, `<NAME>_SCALAR` per input, and
 * `fn apply(...) -> OutUnit` calling the prelude's `op` lane by lane (scalars feed every lane).
 */
export function flatPrelude(inputs: readonly FlatOperand[], output: FlatOperand, width: Width): string {
  const unit = (o: FlatOperand) => `${o.name[0].toUpperCase()}${o.name.slice(1)}Unit`;
  const lane = (o: FlatOperand, j: number) => (width === 4 && !o.scalar ? `${o.name}[${j}]` : o.name);
  const call = (j: number) => `op(${inputs.map((o) => lane(o, j)).join(', ')})`;
  const body = width === 4 ? `${unitType(output.type, 4)}(${[0, 1, 2, 3].map(call).join(', ')})` : call(0);
  return [
    ...[...inputs, output].map((o) => `alias ${unit(o)} = ${unitType(o.type, width, o.scalar)};`),
    ...inputs.map((o) => `const ${o.name.toUpperCase()}_SCALAR = ${o.scalar};`),
    `fn apply(${inputs.map((o) => `${o.name}: ${unit(o)}`).join(', ')}) -> ${unit(output)} { return ${body}; }`,
  ].join('\n');
}

/**
 * Launch over `elements` in units of `width`: `buffers` in binding order (from binding 1), `scalar` marks
 * those read from word 0 on, the same words in every unit. Split by the binding limit like any launch; the grid-stride loop covers any count.
 */
export function runFlat(ctx: GpuContext, what: string, pipeline: GPUComputePipeline, buffers: readonly GPUBuffer[], scalar: readonly boolean[], elements: number, width: Width): void {
  // a scalar operand is bound whole (every launch reads its first words: a value, or a program's constants)
  const operands = buffers.map((buffer, j) => (scalar[j] ? { buffer, stride: 0, span: buffer.size / 4 } : { buffer, stride: width, span: width }));
  const groups = (units: number) => Math.min(Math.ceil(units / WORKGROUP_SIZE), MAX_GROUPS);
  ctx.runRows(what, pipeline, elements / width, operands, (v) => packParams([v.rows]), groups);
}
