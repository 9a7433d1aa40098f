import type { Graph } from '../graph/graph.ts';
import { formatLayerShape, type Layer, type LayerShape, type LayerShapes } from '../layers/layer.ts';
import type { Node } from '../layers/symbolic.ts';

/**
 * Keras 3's `model.summary()` table as rich draws it in an 80-column terminal, followed by the parameter
 * totals with their float32 sizes. A chain has three columns of 31, 22 and 13 characters; a graph with
 * branches, merges or shared layers adds "Connected to" (columns of 19, 17, 10 and 17). Cells wrap at
 * spaces, and words longer than a column are folded.
 */
const CHAIN = { widths: [31, 22, 13], right: [false, false, true] };
const GRAPH = { widths: [19, 17, 10, 17], right: [false, false, true, false] };
type Columns = typeof CHAIN;

interface SummaryRow {
  layer: Layer;
  outputShape: LayerShapes | undefined;
  connectedTo?: string;
}

interface Totals {
  readonly name: string;
  readonly trainableWeights: readonly { size: number }[];
  readonly nonTrainableWeights: readonly { size: number }[];
}

/** Keras's `readable_memory_size`: 1628200 → `1.55 MB`. */
export function readableSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${size.toFixed(2)} ${unit}`;
    size /= 1024;
  }
  return `${size.toFixed(2)} PB`;
}

const thousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** Lines of at most `width` characters: words kept whole where they fit, longer ones folded (as rich wraps). */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const joined = line ? `${line} ${word}` : word;
    if (joined.length <= width) {
      line = joined;
      continue;
    }
    if (line) lines.push(line);
    line = word;
    while (line.length > width) {
      lines.push(line.slice(0, width));
      line = line.slice(width);
    }
  }
  lines.push(line);
  return lines;
}

function row(columns: Columns, cells: readonly string[], left: string, mid: string, right: string): string[] {
  const wrapped = cells.map((c, i) => wrap(c, columns.widths[i]));
  const height = Math.max(...wrapped.map((f) => f.length));
  return Array.from({ length: height }, (_, line) => {
    const parts = wrapped.map((f, i) => {
      const text = f[line] ?? '';
      return ` ${columns.right[i] ? text.padStart(columns.widths[i]) : text.padEnd(columns.widths[i])} `;
    });
    return left + parts.join(mid) + right;
  });
}

function rule(columns: Columns, left: string, fill: string, mid: string, right: string): string {
  return left + columns.widths.map((w) => fill.repeat(w + 2)).join(mid) + right;
}

function table(model: Totals, rows: readonly SummaryRow[], columns: Columns): string[] {
  const headers = ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'].slice(0, columns.widths.length);
  const lines = [`Model: "${model.name}"`, rule(columns, '┏', '━', '┳', '┓'), ...row(columns, headers, '┃', '┃', '┃'), rule(columns, '┡', '━', '╇', '┩')];
  rows.forEach(({ layer, outputShape, connectedTo }, i) => {
    if (i > 0) lines.push(rule(columns, '├', '─', '┼', '┤'));
    const params = layer.built ? thousands(layer.countParams()) : '0 (unbuilt)';
    const cells = [`${layer.name} (${layer.className})`, outputShape ? formatLayerShape(outputShape) : '?', params, connectedTo ?? ''];
    lines.push(...row(columns, cells.slice(0, columns.widths.length), '│', '│', '│'));
  });
  lines.push(rule(columns, '└', '─', '┴', '┘'));
  const trainable = model.trainableWeights.reduce((n, v) => n + v.size, 0);
  const nonTrainable = model.nonTrainableWeights.reduce((n, v) => n + v.size, 0);
  const total = trainable + nonTrainable;
  lines.push(` Total params: ${thousands(total)} (${readableSize(total * 4)})`);
  lines.push(` Trainable params: ${thousands(trainable)} (${readableSize(trainable * 4)})`);
  lines.push(` Non-trainable params: ${thousands(nonTrainable)} (${readableSize(nonTrainable * 4)})`);
  return lines;
}

/** A `Sequential`'s table: its layers (no `InputLayer`) with shapes propagated from the declared input. */
export function sequentialSummary(model: Totals, layers: readonly Layer[], inputShape: LayerShape | undefined): string[] {
  let shape: LayerShapes | undefined = inputShape;
  const rows = layers.map((layer) => {
    shape = shape && layer.computeOutputShape(shape);
    return { layer, outputShape: shape };
  });
  return table(model, rows, CHAIN);
}

/** Keras's test for the short table: one node per depth, each with one input, and no layer called twice. */
function chainLike(graph: Graph): boolean {
  if (graph.inputs.length !== 1 || graph.outputs.length !== 1) return false;
  return graph.nodes.every((n) => n.inputs.length <= 1 && graph.nodes.filter((m) => m.layer === n.layer).length === 1 && graph.nodes.filter((m) => m.parents.includes(n)).length <= 1);
}

/** A functional model's table: every layer (inputs first) with the nodes that feed it (`dense[0][0]`). */
export function functionalSummary(model: Totals, graph: Graph): string[] {
  const inModel = (n: Node): boolean => graph.nodes.includes(n);
  const rows = graph.layers.map((layer) => {
    const nodes = layer.inboundNodes.filter(inModel);
    const last = nodes[nodes.length - 1];
    const shapes = last?.outputs.map((t) => t.shape) ?? [];
    const links = nodes.flatMap((n) => n.inputs.map((t) => `${t.node.layer.name}[${t.node.layer.inboundNodes.indexOf(t.node)}][${t.index}]`));
    return { layer, outputShape: shapes.length === 1 ? shapes[0] : shapes, connectedTo: links.join(', ') || '-' };
  });
  return table(model, rows, chainLike(graph) ? CHAIN : GRAPH);
}
