import { add, concat, div, mul, stack, type Tensor } from '@strata/core';
import { Layer, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape, type LayerShapes } from '../layer.ts';
import type { RNN } from './rnn.ts';

export const MERGE_MODES = ['concat', 'sum', 'mul', 'ave'] as const;
export type MergeMode = (typeof MERGE_MODES)[number];

export interface BidirectionalArgs extends LayerArgs {
  /** The recurrent layer; Bidirectional runs a copy of it forwards (`forward_<name>`) and one backwards. */
  layer: RNN;
  /** How the two directions' outputs combine (Keras's default: concat). */
  mergeMode?: MergeMode;
  /** The backward layer, when it should differ from a reversed copy of `layer`. */
  backwardLayer?: RNN;
}

const MERGE: Record<MergeMode, (a: Tensor, b: Tensor) => Tensor> = {
  concat: (a, b) => concat([a, b], -1),
  sum: add,
  mul,
  ave: (a, b) => div(add(a, b), 2),
};

/**
 * Keras's `Bidirectional`: the sequence read forwards by one copy of the layer and backwards by another,
 * merged step by step (the backward outputs put back in time order first). Both get the input's mask.
 */
export class Bidirectional extends Layer {
  override readonly className = 'Bidirectional';
  override supportsMasking = true;
  readonly forwardLayer: RNN;
  readonly backwardLayer: RNN;
  readonly mergeMode: MergeMode;

  constructor(args: BidirectionalArgs) {
    super(args, 'Bidirectional', ['layer', 'mergeMode', 'backwardLayer']);
    const mode = args.mergeMode ?? 'concat';
    if (!MERGE_MODES.includes(mode)) throw new Error(`Bidirectional: mergeMode must be one of ${MERGE_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
    this.mergeMode = mode;
    const layer = args.layer;
    const zeroOutputForMask = layer.returnSequences;
    this.forwardLayer = layer.withArgs({ name: `forward_${layer.name}`, zeroOutputForMask, inputShape: undefined });
    const backward = args.backwardLayer ?? layer.withArgs({ name: `backward_${layer.name}`, goBackwards: !layer.goBackwards, inputShape: undefined });
    if (backward.returnSequences !== layer.returnSequences || backward.returnState !== layer.returnState) {
      throw new Error(`Bidirectional "${this.name}": the backward layer must match the forward one's returnSequences and returnState`);
    }
    backward.zeroOutputForMask = backward.returnSequences;
    this.backwardLayer = backward;
  }

  override get attributeLayers(): ReadonlyArray<readonly [string, Layer]> {
    return [['forward_layer', this.forwardLayer], ['backward_layer', this.backwardLayer]];
  }

  override build(inputShape: LayerShape): void {
    this.forwardLayer.build(inputShape);
    this.backwardLayer.build(inputShape);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShapes {
    const f = this.forwardLayer.computeOutputShape(inputShape);
    const b = this.backwardLayer.computeOutputShape(inputShape);
    const [fOut, ...fStates] = (this.forwardLayer.returnState ? f : [f]) as LayerShape[];
    const [bOut, ...bStates] = (this.backwardLayer.returnState ? b : [b]) as LayerShape[];
    const last = fOut.length - 1;
    const out: LayerShape = this.mergeMode === 'concat' ? [...fOut.slice(0, last), (fOut[last] ?? 0) + (bOut[last] ?? 0)] : fOut;
    return this.forwardLayer.returnState ? [out, ...fStates, ...bStates] : out;
  }

  override computeMask(_inputs: Tensor, mask: Tensor | undefined): Tensor | undefined {
    return this.forwardLayer.returnSequences ? mask : undefined;
  }

  call(inputs: Tensor, options: CallOptions): Tensor | Tensor[] {
    const f = this.forwardLayer.runSequence(inputs, options);
    const b = this.backwardLayer.runSequence(inputs, options);
    const merge = MERGE[this.mergeMode];
    const output = this.forwardLayer.returnSequences
      ? merge(stack(f.outputs, 1), stack([...b.outputs].reverse(), 1))
      : merge(f.outputs[f.outputs.length - 1], b.outputs[b.outputs.length - 1]);
    return this.forwardLayer.returnState ? [output, ...f.states, ...b.states] : output;
  }

  override getConfig(): LayerConfig {
    return { ...super.getConfig(), mergeMode: this.mergeMode, layer: this.forwardLayer, backwardLayer: this.backwardLayer };
  }
}
