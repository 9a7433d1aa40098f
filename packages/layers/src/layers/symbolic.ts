import type { DType } from '@strata/core';
import type { Layer, LayerShape } from './layer.ts';

/**
 * A placeholder for a tensor in a graph of layers (Keras's `KerasTensor`): its shape (batch axis `null`),
 * its dtype, and the node that makes it. `input()` creates one; `layer.apply(symbolic)` makes new ones.
 */
export class SymbolicTensor {
  constructor(
    readonly shape: LayerShape,
    readonly dtype: DType,
    /** The call of a layer that produces this tensor. */
    readonly node: Node,
    /** Which of the node's outputs this is. */
    readonly index: number,
    readonly name: string,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    const dims = this.shape.map((d) => (d === null ? 'None' : String(d)));
    return `<SymbolicTensor shape=(${dims.join(', ')}${dims.length === 1 ? ',' : ''}), dtype=${this.dtype}, name=${this.name}>`;
  }
}

/**
 * One call of a layer on symbolic inputs (Keras's `Node`). `listInput` records whether the layer was
 * called with a list (merge layers) or a single tensor, so the executor calls it the same way.
 */
export class Node {
  readonly outputs: SymbolicTensor[];

  constructor(
    readonly layer: Layer,
    readonly inputs: readonly SymbolicTensor[],
    readonly listInput: boolean,
    outputShapes: readonly LayerShape[],
    dtype: DType,
  ) {
    const named = (i: number): string => (outputShapes.length === 1 ? layer.name : `${layer.name}_${i}`);
    this.outputs = outputShapes.map((shape, i) => new SymbolicTensor(shape, dtype, this, i, named(i)));
  }

  /** The layers whose outputs feed this node (an `InputLayer`'s node has none). */
  get parents(): Node[] {
    return this.inputs.map((t) => t.node);
  }
}

export const isSymbolic = (v: unknown): v is SymbolicTensor => v instanceof SymbolicTensor;
