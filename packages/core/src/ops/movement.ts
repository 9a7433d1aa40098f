import { assertValidShape, formatShape, normalizeAxis, sizeOf, type Shape, MAX_RANK } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { tensor } from './create.ts';
import { run, view } from './run.ts';

/** Reshape without copying; one dimension may be -1 and is inferred. */
export function reshape(x: Tensor, shape: Shape): Tensor {
  if (!Array.isArray(shape)) throw new Error(`reshape: shape must be an array, got ${JSON.stringify(shape)}`);
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1) throw new Error(`reshape: only one dimension may be -1, got ${formatShape(shape)}`);
  const known = shape.filter((d) => d !== -1);
  assertValidShape(known, 'reshape');
  if (shape.length > MAX_RANK) throw new Error(`reshape: rank ${shape.length} is not supported; ranks 0 to ${MAX_RANK} are`);
  const knownSize = sizeOf(known);
  let out = [...shape];
  if (unknown) {
    if (knownSize === 0 || x.size % knownSize !== 0) {
      throw new Error(`reshape: cannot reshape a tensor of shape ${formatShape(x.shape)} (${x.size} elements) into ${formatShape(shape)}`);
    }
    out = shape.map((d) => (d === -1 ? x.size / knownSize : d));
  }
  if (sizeOf(out) !== x.size) {
    throw new Error(`reshape: cannot reshape a tensor of shape ${formatShape(x.shape)} (${x.size} elements) into ${formatShape(shape)} (${sizeOf(out)} elements)`);
  }
  return view(x, out);
}

/** Permute axes; default reverses them (numpy `.T`). */
export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const rank = x.rank;
  const p = perm ? perm.map((a) => normalizeAxis('transpose', a, rank)) : Array.from({ length: rank }, (_, i) => rank - 1 - i);
  if (p.length !== rank || new Set(p).size !== rank) {
    throw new Error(`transpose: perm [${perm?.join(', ')}] is not a permutation of the ${rank} axes of shape ${formatShape(x.shape)}`);
  }
  if (p.every((a, i) => a === i)) return reshape(x, x.shape);
  const shape = p.map((a) => x.shape[a]);
  return run('transpose', 'permute', [x], (b) => b.permute(x.info(), p), shape, x.dtype, { perm: p });
}

export function expandDims(x: Tensor, axis = 0): Tensor {
  const a = normalizeAxis('expandDims', axis, x.rank + 1);
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

/** Drop size-1 axes (all of them, or the listed ones, which must have size 1). */
export function squeeze(x: Tensor, axis?: number | readonly number[]): Tensor {
  const axes = axis === undefined ? x.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : (typeof axis === 'number' ? [axis] : axis).map((a) => normalizeAxis('squeeze', a, x.rank));
  for (const a of axes) {
    if (x.shape[a] !== 1) throw new Error(`squeeze: axis ${a} of shape ${formatShape(x.shape)} has size ${x.shape[a]}, not 1`);
  }
  return reshape(x, x.shape.filter((_, i) => !axes.includes(i)));
}

export function flatten(x: Tensor): Tensor {
  return reshape(x, [x.size]);
}

export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (!xs || xs.length === 0) throw new Error('concat: expected a non-empty array of tensors');
  const first = xs[0];
  const a = normalizeAxis('concat', axis, first.rank);
  for (const t of xs) {
    if (t.rank !== first.rank || t.shape.some((d, i) => i !== a && d !== first.shape[i])) {
      throw new Error(`concat: shapes ${formatShape(first.shape)} and ${formatShape(t.shape)} differ outside axis ${a}`);
    }
    if (t.dtype !== first.dtype) throw new Error(`concat: dtypes differ (${first.dtype} and ${t.dtype})`);
  }
  if (xs.length === 1) return reshape(first, first.shape);
  const shape = [...first.shape];
  shape[a] = xs.reduce((n, t) => n + t.shape[a], 0);
  return run('concat', 'concat', xs, (b) => b.concat(xs.map((t) => t.info()), a), shape, first.dtype, { axis: a, sizes: xs.map((t) => t.shape[a]) });
}

export function stack(xs: readonly Tensor[], axis = 0): Tensor {
  if (!xs || xs.length === 0) throw new Error('stack: expected a non-empty array of tensors');
  for (const t of xs) {
    if (t.rank !== xs[0].rank || t.shape.some((d, i) => d !== xs[0].shape[i])) {
      throw new Error(`stack: all tensors need one shape, got ${formatShape(xs[0].shape)} and ${formatShape(t.shape)}`);
    }
  }
  const a = normalizeAxis('stack', axis, xs[0].rank + 1);
  const expanded = xs.map((t) => expandDims(t, a));
  const out = concat(expanded, a);
  for (const t of expanded) t.dispose();
  return out;
}

/** One axis of a slice: a single index (drops the axis) or a half-open range. */
export type SliceSpec = number | { start?: number; stop?: number } | null;

/** Parse numpy slice text like `':, 7:-7, 7:-7'` or `'10:100'` into specs (steps other than 1 are rejected). */
export function parseSlice(text: string): SliceSpec[] {
  return text.split(',').map((part) => {
    const p = part.trim();
    if (p === ':' || p === '') return null;
    const bits = p.split(':');
    const num = (s: string): number | undefined => {
      if (s.trim() === '') return undefined;
      const v = Number(s);
      if (!Number.isInteger(v)) throw new Error(`slice: '${p}' in '${text}' is not an integer index or start:stop range`);
      return v;
    };
    if (bits.length === 1) return num(bits[0]) as number;
    if (bits.length === 3 && bits[2].trim() !== '' && bits[2].trim() !== '1') {
      throw new Error(`slice: step '${bits[2].trim()}' in '${text}' is not supported; only step 1 is`);
    }
    if (bits.length > 3) throw new Error(`slice: '${p}' in '${text}' is not a valid range`);
    return { start: num(bits[0]), stop: num(bits[1]) };
  });
}

/**
 * numpy basic slicing with step 1: `slice(x, '10:100')`, `slice(x, ':, 14:, 14:')`, or the typed form
 * `slice(x, [null, {start: 7, stop: -7}, 3])`. Negative indices count from the end; range bounds are
 * clipped as in numpy; a single index drops its axis and must be in range.
 */
export function slice(x: Tensor, spec: string | readonly SliceSpec[]): Tensor {
  const specs = typeof spec === 'string' ? parseSlice(spec) : spec;
  if (specs.length > x.rank) throw new Error(`slice: ${specs.length} indices given for a tensor of rank ${x.rank} (shape ${formatShape(x.shape)})`);
  const begin: number[] = [];
  const size: number[] = [];
  const keep: boolean[] = [];
  x.shape.forEach((n, axis) => {
    const s = specs[axis] ?? null;
    if (typeof s === 'number') {
      if (!Number.isInteger(s) || s < -n || s >= n) throw new Error(`slice: index ${s} is out of range for axis ${axis} of size ${n} (shape ${formatShape(x.shape)})`);
      begin.push(s < 0 ? s + n : s);
      size.push(1);
      keep.push(false);
      return;
    }
    const clip = (v: number | undefined, dflt: number): number => (v === undefined ? dflt : v < 0 ? Math.max(0, v + n) : Math.min(v, n));
    const start = clip(s?.start, 0);
    const stop = Math.max(start, clip(s?.stop, n));
    begin.push(start);
    size.push(stop - start);
    keep.push(true);
  });
  const boxed = run('slice', 'slice', [x], (b) => b.slice(x.info(), begin, size), size, x.dtype, { begin });
  if (keep.every(Boolean)) return boxed;
  const out = reshape(boxed, size.filter((_, i) => keep[i]));
  boxed.dispose();
  return out;
}

/** Rows of `x` along axis 0 picked by `indices` (an int tensor or a number array). */
export function gather(x: Tensor, indices: Tensor | readonly number[]): Tensor {
  if (x.rank === 0) throw new Error('gather: cannot gather from a scalar');
  // a number list is checked before it becomes a tensor (on every backend, and nothing leaks on error)
  if (Array.isArray(indices)) checkIndices(indices, x.shape[0]);
  const idx = Array.isArray(indices) ? tensor(indices as number[], [indices.length], 'int32') : (indices as Tensor);
  if (idx.dtype !== 'int32' || idx.rank !== 1) {
    throw new Error(`gather: indices must be a 1-D int32 tensor, got ${idx.dtype} of shape ${formatShape(idx.shape)}`);
  }
  if (idx === indices && idx.backend.readSync) checkIndices(idx.dataSync(), x.shape[0]);
  const shape = [idx.size, ...x.shape.slice(1)];
  const out = run('gather', 'gather', [x, idx], (b) => b.gather(x.info(), idx.info()), shape, x.dtype);
  if (idx !== indices) idx.dispose();
  return out;
}

/** Range-check indices where they can be read without a sync (always for number arrays; tensors on the CPU). */
function checkIndices(values: ArrayLike<number>, n: number): void {
  for (const v of Array.from(values)) {
    if (v < 0 || v >= n) throw new Error(`gather: index ${v} is out of range for axis 0 of size ${n}`);
  }
}
