import type { ArithmeticOp, FusedExpr, FusedUnaryOp } from '../backend.ts';
import { broadcastShapes, formatShape, sizeOf, type Shape } from '../shape.ts';
import type { Tensor } from '../tensor.ts';
import { run } from './run.ts';

/**
 * A value inside a fused program (see `fuse`): chain element-wise ops on it like on a tensor. Numbers
 * become run-time constants (float32), so a program whose constants change step by step (a learning
 * rate, Adam's bias correction) still runs the kernel compiled the first time.
 */
export class Fusable {
  /** @internal */
  constructor(readonly expr: FusedExpr, private readonly constants: number[]) {}

  private unary(op: FusedUnaryOp): Fusable {
    return new Fusable({ unary: op, x: this.expr }, this.constants);
  }

  private binary(op: ArithmeticOp, other: Fusable | number): Fusable {
    if (typeof other === 'number') {
      this.constants.push(other);
      return new Fusable({ binary: op, a: this.expr, b: { constant: this.constants.length - 1 } }, this.constants);
    }
    if (!(other instanceof Fusable) || other.constants !== this.constants) {
      throw new Error(`fuse: ${op} takes a number or a value of the same program, got ${other === null ? 'null' : typeof other}`);
    }
    return new Fusable({ binary: op, a: this.expr, b: other.expr }, this.constants);
  }

  add(b: Fusable | number): Fusable { return this.binary('add', b); }
  sub(b: Fusable | number): Fusable { return this.binary('sub', b); }
  mul(b: Fusable | number): Fusable { return this.binary('mul', b); }
  div(b: Fusable | number): Fusable { return this.binary('div', b); }
  pow(b: Fusable | number): Fusable { return this.binary('pow', b); }
  maximum(b: Fusable | number): Fusable { return this.binary('maximum', b); }
  minimum(b: Fusable | number): Fusable { return this.binary('minimum', b); }
  mod(b: Fusable | number): Fusable { return this.binary('mod', b); }
  neg(): Fusable { return this.unary('neg'); }
  abs(): Fusable { return this.unary('abs'); }
  exp(): Fusable { return this.unary('exp'); }
  log(): Fusable { return this.unary('log'); }
  sqrt(): Fusable { return this.unary('sqrt'); }
  rsqrt(): Fusable { return this.unary('rsqrt'); }
  square(): Fusable { return this.unary('square'); }
  relu(): Fusable { return this.unary('relu'); }
  sigmoid(): Fusable { return this.unary('sigmoid'); }
  tanh(): Fusable { return this.unary('tanh'); }
  sign(): Fusable { return this.unary('sign'); }
  floor(): Fusable { return this.unary('floor'); }
  ceil(): Fusable { return this.unary('ceil'); }
  round(): Fusable { return this.unary('round'); }
  reciprocal(): Fusable { return this.unary('reciprocal'); }
  sin(): Fusable { return this.unary('sin'); }
  cos(): Fusable { return this.unary('cos'); }
}

/**
 * Run an element-wise program as one kernel: `fuse([v, g], (v, g) => v.mul(0.9).add(g.square().mul(0.1)))`
 * gives what `add(mul(v, 0.9), mul(square(g), 0.1))` gives (each node rounds to float32 as the op would),
 * in one pass over memory on the GPU instead of one per op. For the optimizers' updates: many element-wise
 * ops on large weights. Inputs are float32 and broadcast like numpy, each holding all the output's elements
 * or one. Not
 * differentiable: compose the ops themselves where a gradient is needed.
 */
export function fuse(inputs: readonly Tensor[], program: (...xs: Fusable[]) => Fusable): Tensor {
  if (!inputs.length) throw new Error('fuse: give at least one input tensor');
  inputs.forEach((x, i) => {
    if (x.dtype !== 'float32') throw new Error(`fuse: input ${i} is ${x.dtype}; every input must be float32`);
  });
  const shape = inputs.reduce<Shape>((s, x) => broadcastShapes('fuse', s, x.shape), []);
  inputs.forEach((x, i) => {
    if (sizeOf(x.shape) !== 1 && sizeOf(x.shape) !== sizeOf(shape)) {
      throw new Error(`fuse: input ${i} has shape ${formatShape(x.shape)}; every input must have the output's ${sizeOf(shape)} elements (shape ${formatShape(shape)}) or one element`);
    }
  });
  const constants: number[] = [];
  const result = program(...inputs.map((_, i) => new Fusable({ input: i }, constants)));
  if (!(result instanceof Fusable)) throw new Error('fuse: the program must return a value computed from its arguments');
  const spec = { expr: result.expr, constants };
  return run('fuse', null, inputs, (b) => b.fused(inputs.map((x) => x.info()), spec, shape), shape, 'float32');
}
