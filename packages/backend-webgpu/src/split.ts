/**
 * Splitting one kernel launch into several when a tensor is larger than the device lets one storage
 * binding be (`maxStorageBufferBindingSize`) or a grid would need too many workgroups. The work is a
 * list of rows (elements, output rows, reduction rows, matrix rows, batches); each chunk of rows binds a
 * window of every operand's buffer. Window offsets must be multiples of `minStorageBufferOffsetAlignment`:
 * an operand whose shader takes a word offset as a parameter (`offsettable`) gets the remainder there,
 * any other operand forces chunk starts onto rows whose first word is aligned.
 */

/** How one operand is addressed by rows [r0, r1) of the work (all counts in 32-bit words). */
export interface RowAccess {
  readonly buffer: GPUBuffer;
  /** Words between the first words of consecutive rows (0: every row reads the same words). */
  readonly stride: number;
  /** Words one row touches, counted from its first (at most: a window ends at the buffer's end, so the last row may be shorter). */
  readonly span: number;
  /** First word of row 0. */
  readonly base?: number;
  /** The shader adds a per-operand offset parameter, so windows may start before the row. */
  readonly offsettable?: boolean;
}

export interface SplitLimits {
  /** Largest binding, in words. */
  readonly maxWords: number;
  /** Binding offset alignment, in words. */
  readonly alignWords: number;
  /** Most rows one launch may cover (from the grid limit); Infinity when the grid splits itself. */
  readonly maxRows: number;
}

export interface Chunk {
  /** First row and number of rows. */
  readonly start: number;
  readonly rows: number;
  /** A window of each operand's buffer, in operand order. */
  readonly bindings: GPUBufferBinding[];
  /** Word offset of the chunk's first row inside each window (0 for non-offsettable operands). */
  readonly offsets: number[];
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const lcm = (a: number, b: number): number => (a / gcd(a, b)) * b;

/** Rows per chunk so that every window fits and every non-offsettable window starts aligned. */
function rowsPerChunk(what: string, rows: number, operands: readonly RowAccess[], limits: SplitLimits): number {
  let step = 1;
  let most = Math.min(rows, limits.maxRows);
  for (const op of operands) {
    const slack = op.offsettable ? limits.alignWords - 1 : 0;
    if (!op.offsettable && op.stride > 0) step = lcm(step, limits.alignWords / gcd(op.stride, limits.alignWords));
    const room = limits.maxWords - slack - op.span;
    if (room < 0) throw new Error(`webgpu ${what}: one row of an operand spans ${op.span * 4} bytes, more than this device's ${limits.maxWords * 4}-byte storage binding limit; the work cannot be split further`);
    if (op.stride > 0) most = Math.min(most, Math.floor(room / op.stride) + 1);
  }
  const perChunk = most >= rows ? rows : Math.floor(most / step) * step;
  if (perChunk < 1) {
    throw new Error(`webgpu ${what}: cannot split the work into windows of at most ${limits.maxWords * 4} bytes aligned to ${limits.alignWords * 4} bytes (${step} rows needed per chunk, ${most} fit)`);
  }
  return perChunk;
}

export function splitRows(what: string, rows: number, operands: readonly RowAccess[], limits: SplitLimits): Chunk[] {
  const perChunk = rowsPerChunk(what, rows, operands, limits);
  const chunks: Chunk[] = [];
  for (let start = 0; start < rows; start += perChunk) {
    const n = Math.min(perChunk, rows - start);
    const bindings: GPUBufferBinding[] = [];
    const offsets: number[] = [];
    for (const op of operands) {
      const first = (op.base ?? 0) + start * op.stride;
      const from = op.offsettable ? first - (first % limits.alignWords) : first;
      const words = first - from + (n - 1) * op.stride + op.span;
      bindings.push({ buffer: op.buffer, offset: from * 4, size: Math.max(Math.min(words, op.buffer.size / 4 - from), 1) * 4 });
      offsets.push(first - from);
    }
    chunks.push({ start, rows: n, bindings, offsets });
  }
  return chunks;
}
