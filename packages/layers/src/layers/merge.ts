import { add, concat, div, matmul, maximum, minimum, mul, sqrt, square, sub, sum, type Tensor } from '@strata/core';
import { Layer, formatLayerShape, isShapeList, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape, type LayerShapes } from './layer.ts';

/**
 * Layers that combine a list of inputs (Keras's merge layers). Shapes are checked when the layer is built,
 * so a bad merge fails where the graph is made, naming the layers and the shapes.
 */
abstract class Merge extends Layer {
  /** How many inputs the layer takes: at least `min`, at most `max`. */
  protected readonly arity: { min: number; max: number } = { min: 1, max: Infinity };

  protected shapesOf(shapes: LayerShapes): LayerShape[] {
    if (!isShapeList(shapes)) throw new Error(`${this.className} "${this.name}" must be called on a list of inputs, got one input of shape ${formatLayerShape(shapes)}`);
    const { min, max } = this.arity;
    if (shapes.length < min || shapes.length > max) {
      const want = min === max ? `exactly ${min}` : `at least ${min}`;
      throw new Error(`${this.className} "${this.name}" takes ${want} inputs, got ${shapes.length}: ${formatLayerShape(shapes)}`);
    }
    return shapes;
  }

  override build(inputShape: LayerShapes): void {
    this.computeOutputShape(inputShape);
    super.build(inputShape);
  }
}

/** numpy broadcasting of two shapes with unknown (`null`) sizes; undefined when they do not broadcast. */
function broadcastShape(a: LayerShape, b: LayerShape): LayerShape | undefined {
  const rank = Math.max(a.length, b.length);
  const out: (number | null)[] = [];
  for (let i = 0; i < rank; i++) {
    const x = i < rank - a.length ? 1 : a[i - (rank - a.length)];
    const y = i < rank - b.length ? 1 : b[i - (rank - b.length)];
    if (x === 1) out.push(y);
    else if (y === 1 || x === y) out.push(x);
    else if (x === null || y === null) out.push(x ?? y);
    else return undefined;
  }
  return out;
}

/** An element-wise merge: the inputs broadcast against each other, as numpy does, folded pairwise by `combine`. */
abstract class ElementwiseMerge extends Merge {
  constructor(args: LayerArgs, className: string, private readonly combine: (a: Tensor, b: Tensor) => Tensor) {
    super(args, className, []);
  }

  override computeOutputShape(inputShape: LayerShapes): LayerShape {
    const shapes = this.shapesOf(inputShape);
    return shapes.slice(1).reduce<LayerShape>((acc, s) => {
      const out = broadcastShape(acc, s);
      if (!out) throw new Error(`${this.className} "${this.name}": inputs have incompatible shapes ${formatLayerShape(shapes)} (sizes must match or be 1 on each axis)`);
      return out;
    }, shapes[0]);
  }

  call(inputs: Tensor[], _options: CallOptions): Tensor {
    return inputs.slice(1).reduce((acc, x) => this.combine(acc, x), inputs[0]);
  }
}

/** Sum of the inputs. */
export class Add extends ElementwiseMerge {
  override readonly className = 'Add';
  constructor(args: LayerArgs = {}) {
    super(args, 'Add', add);
  }
}

/** First input minus the second (exactly two inputs). */
export class Subtract extends ElementwiseMerge {
  override readonly className = 'Subtract';
  protected override readonly arity = { min: 2, max: 2 };
  constructor(args: LayerArgs = {}) {
    super(args, 'Subtract', sub);
  }
}

/** Element-wise product of the inputs. */
export class Multiply extends ElementwiseMerge {
  override readonly className = 'Multiply';
  constructor(args: LayerArgs = {}) {
    super(args, 'Multiply', mul);
  }
}

/** Element-wise maximum of the inputs. */
export class Maximum extends ElementwiseMerge {
  override readonly className = 'Maximum';
  constructor(args: LayerArgs = {}) {
    super(args, 'Maximum', maximum);
  }
}

/** Element-wise minimum of the inputs. */
export class Minimum extends ElementwiseMerge {
  override readonly className = 'Minimum';
  constructor(args: LayerArgs = {}) {
    super(args, 'Minimum', minimum);
  }
}

/** Mean of the inputs. */
export class Average extends ElementwiseMerge {
  override readonly className = 'Average';
  constructor(args: LayerArgs = {}) {
    super(args, 'Average', add);
  }
  override call(inputs: Tensor[], options: CallOptions): Tensor {
    return div(super.call(inputs, options), inputs.length);
  }
}

export interface ConcatenateArgs extends LayerArgs {
  /** Default -1 (the last axis). */
  axis?: number;
}

/** Joins the inputs along `axis`; every other size must match. */
export class Concatenate extends Merge {
  override readonly className = 'Concatenate';
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args, 'Concatenate', ['axis']);
    this.axis = args.axis ?? -1;
    if (!Number.isInteger(this.axis)) throw new Error(`Concatenate: axis must be an integer, got ${JSON.stringify(args.axis)}`);
  }

  override computeOutputShape(inputShape: LayerShapes): LayerShape {
    const shapes = this.shapesOf(inputShape);
    const rank = shapes[0].length;
    const axis = this.axis < 0 ? this.axis + rank : this.axis;
    const mismatch = (): Error => new Error(`Concatenate "${this.name}" (axis ${this.axis}) needs inputs whose shapes match except on the concatenation axis, got ${formatLayerShape(shapes)}`);
    if (axis < 1 || axis >= rank) throw new Error(`Concatenate "${this.name}": axis ${this.axis} is out of range for inputs of rank ${rank} (valid: 1 to ${rank - 1}, or -1 to ${1 - rank}; axis 0 is the batch)`);
    const out = [...shapes[0]];
    for (const s of shapes.slice(1)) {
      if (s.length !== rank) throw mismatch();
      s.forEach((d, i) => {
        if (i === axis) out[i] = out[i] === null || d === null ? null : (out[i] as number) + d;
        else if (out[i] !== null && d !== null && out[i] !== d) throw mismatch();
        else out[i] = out[i] ?? d;
      });
    }
    return out;
  }

  call(inputs: Tensor[], _options: CallOptions): Tensor {
    return concat(inputs, this.axis);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axis: this.axis };
  }
}

export interface DotArgs extends LayerArgs {
  /** The axis of each input to contract (one number for both, or one per input). */
  axes: number | readonly [number, number];
  /** L2-normalize each input along its axis first, so the result is the cosine similarity. Default false. */
  normalize?: boolean;
}

/**
 * Dot products between the samples of two inputs of rank 2 or 3 (Keras's `Dot`): (b, n)·(b, n) → (b, 1);
 * (b, n, m)·(b, k, m) with axes 2 → (b, n, k), a batched matmul.
 */
export class Dot extends Merge {
  override readonly className = 'Dot';
  protected override readonly arity = { min: 2, max: 2 };
  readonly axes: number | readonly [number, number];
  readonly normalize: boolean;

  constructor(args: DotArgs) {
    super(args, 'Dot', ['axes', 'normalize']);
    const axes = args?.axes;
    const valid = Number.isInteger(axes) || (Array.isArray(axes) && axes.length === 2 && axes.every(Number.isInteger));
    if (!valid) throw new Error(`Dot: axes must be an integer or a pair of integers, got ${JSON.stringify(axes)}`);
    this.axes = Array.isArray(axes) ? [axes[0], axes[1]] : axes;
    this.normalize = args.normalize ?? false;
  }

  /** The contracted axis of each input, non-negative. */
  private contracted(shapes: LayerShape[]): [number, number] {
    const pair = typeof this.axes === 'number' ? [this.axes, this.axes] : this.axes;
    return [0, 1].map((i) => (pair[i] < 0 ? pair[i] + shapes[i].length : pair[i])) as [number, number];
  }

  override computeOutputShape(inputShape: LayerShapes): LayerShape {
    const shapes = this.shapesOf(inputShape);
    const [a, b] = shapes;
    if (a.length !== b.length || a.length < 2 || a.length > 3) throw new Error(`Dot "${this.name}" takes two inputs of the same rank, 2 or 3, got ${formatLayerShape(shapes)}`);
    const [ax, bx] = this.contracted(shapes);
    if (ax < 1 || bx < 1 || ax >= a.length || bx >= b.length) throw new Error(`Dot "${this.name}": axes ${JSON.stringify(this.axes)} are out of range for inputs ${formatLayerShape(shapes)} (axis 0 is the batch)`);
    if (a[ax] !== null && b[bx] !== null && a[ax] !== b[bx]) {
      throw new Error(`Dot "${this.name}": the contracted sizes differ: axis ${ax} of ${formatLayerShape(a)} is ${a[ax]}, axis ${bx} of ${formatLayerShape(b)} is ${b[bx]}`);
    }
    if (a.length === 2) return [a[0], 1];
    return [a[0], a[3 - ax], b[3 - bx]];
  }

  call(inputs: Tensor[], _options: CallOptions): Tensor {
    const [ax, bx] = this.contracted(inputs.map((t) => t.shape));
    const [a, b] = this.normalize ? [l2Normalize(inputs[0], ax), l2Normalize(inputs[1], bx)] : inputs;
    if (a.rank === 2) return sum(mul(a, b), -1, true);
    return matmul(a, b, ax === 1, bx === 2);
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), axes: this.axes, normalize: this.normalize };
  }
}

/** x / sqrt(max(sum(x²), 1e-12)) along `axis`, as Keras's `normalize`. */
function l2Normalize(x: Tensor, axis: number): Tensor {
  return div(x, sqrt(maximum(sum(square(x), axis, true), 1e-12)));
}
