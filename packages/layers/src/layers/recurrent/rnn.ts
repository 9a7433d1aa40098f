import { cast, div, greaterEqual, mul, notEqual, randomSeed, randomUniform, slice, stack, where, zerosLike, type Tensor } from '@strata/core';
import { formatShape } from '@strata/core';
import { Layer, formatLayerShape, type CallOptions, type LayerArgs, type LayerConfig, type LayerShape, type LayerShapes } from '../layer.ts';
import type { Initializer } from '../../initializers.ts';
import { flag, type CellArgs, type RNNCell, type StepWeights } from './cell.ts';

/** The options of SimpleRNN, LSTM and GRU beyond their cell's (Keras's names and defaults). */
export interface RNNArgs extends CellArgs {
  /** Return the output of every timestep, (batch, timesteps, units), instead of the last one. */
  returnSequences?: boolean;
  /** Also return the final states: [output, h] (LSTM: [output, h, c]). */
  returnState?: boolean;
  /** Run over the timesteps in reverse; the returned sequence is in the order processed. */
  goBackwards?: boolean;
  /** Fraction of the input features dropped while training (one mask for all timesteps). */
  dropout?: number;
  /** Fraction of the recurrent state dropped before the recurrent matmul while training. */
  recurrentDropout?: number;
  /** Seeds the dropout masks. */
  seed?: number;
  /** Masked timesteps output zeros instead of the previous output (Bidirectional sets it with returnSequences). */
  zeroOutputForMask?: boolean;
}

/** The options every recurrent layer takes (its own and its cell's), and those of one kind only. */
const RNN_OPTIONS = ['units', 'activation', 'recurrentActivation', 'useBias', 'kernelInitializer', 'recurrentInitializer', 'biasInitializer', 'returnSequences', 'returnState', 'goBackwards', 'dropout', 'recurrentDropout', 'seed', 'zeroOutputForMask'];
const CELL_OPTIONS: Record<string, string[]> = { LSTM: ['unitForgetBias'], GRU: ['resetAfter'] };

const rate = (layer: string, what: string, v: number | undefined): number => {
  const r = v ?? 0;
  if (!(r >= 0 && r < 1)) throw new Error(`${layer}: ${what} must be in [0, 1), got ${v}`);
  return r;
};

const initializerConfig = (i: Initializer): LayerConfig => ({ className: i.className, config: i.getConfig() });

/** What the time loop gives: each step's output in the order processed, and the final states. */
export interface SequenceRun {
  outputs: Tensor[];
  states: Tensor[];
}

/**
 * Keras's `RNN` over a cell: input (batch, timesteps, features). The loop over time is a loop of device
 * ops (no read-back): per step one slice of the input, the cell's fused matmul and its element-wise gate
 * math; backpropagation through time is the tape's. A mask (batch, timesteps) from `Embedding({maskZero})`
 * or `Masking` keeps the states through masked steps and repeats the previous output (zeros with
 * `zeroOutputForMask`), as Keras does.
 */
export abstract class RNN<W extends StepWeights = StepWeights> extends Layer {
  override supportsMasking = true;
  readonly cell: RNNCell<W>;
  readonly returnSequences: boolean;
  readonly returnState: boolean;
  readonly goBackwards: boolean;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number;
  zeroOutputForMask: boolean;
  private calls = 0;

  constructor(protected readonly args: RNNArgs, className: string, cell: RNNCell<W>) {
    super(args, className, [...RNN_OPTIONS, ...(CELL_OPTIONS[className] ?? [])]);
    this.cell = cell;
    this.returnSequences = flag(args.returnSequences, false, 'returnSequences', className);
    this.returnState = flag(args.returnState, false, 'returnState', className);
    this.goBackwards = flag(args.goBackwards, false, 'goBackwards', className);
    this.dropout = rate(className, 'dropout', args.dropout);
    this.recurrentDropout = rate(className, 'recurrentDropout', args.recurrentDropout);
    this.seed = args.seed ?? randomSeed();
    this.zeroOutputForMask = flag(args.zeroOutputForMask, false, 'zeroOutputForMask', className);
  }

  /** The same layer type with these options changed (Bidirectional's forward and backward copies). */
  withArgs(overrides: Partial<RNNArgs>): this {
    const make = this.constructor as new (args: RNNArgs) => this;
    return new make({ ...this.args, ...overrides });
  }

  get units(): number {
    return this.cell.units;
  }

  override get attributeLayers(): ReadonlyArray<readonly [string, Layer]> {
    return [['cell', this.cell]];
  }

  private checkShape(shape: LayerShape): void {
    if (shape.length !== 3 || shape[2] === null) {
      throw new Error(`${this.className} "${this.name}" expects a 3-D input (batch, timesteps, features) with features known, got ${formatLayerShape(shape)}; a 2-D input needs a timesteps axis, e.g. layers.reshape({targetShape: [timesteps, features]})`);
    }
  }

  override build(inputShape: LayerShape): void {
    this.checkShape(inputShape);
    this.cell.build([null, inputShape[2]]);
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: LayerShape): LayerShapes {
    this.checkShape(inputShape);
    const out: LayerShape = this.returnSequences ? [inputShape[0], inputShape[1], this.units] : [inputShape[0], this.units];
    if (!this.returnState) return out;
    return [out, ...Array.from({ length: this.cell.stateCount }, (): LayerShape => [inputShape[0], this.units])];
  }

  override computeMask(_inputs: Tensor, mask: Tensor | undefined): Tensor | undefined {
    return this.returnSequences ? mask : undefined;
  }

  private dropoutMask(shape: number[], r: number, salt: number): Tensor {
    const seed = (this.seed + Math.imul(this.calls * 2 + salt, 0x9e3779b9)) >>> 0;
    return div(cast(greaterEqual(randomUniform(shape, 0, 1, { seed }), r), 'float32'), 1 - r);
  }

  private checkMask(x: Tensor, mask: Tensor | undefined): Tensor | undefined {
    if (!mask) return undefined;
    if (mask.rank !== 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[1]) {
      throw new Error(`${this.className} "${this.name}": the mask must be (batch, timesteps) = (${x.shape[0]}, ${x.shape[1]}), got ${formatShape(mask.shape)}`);
    }
    return mask.dtype === 'bool' ? mask : notEqual(mask, 0);
  }

  /** The loop over time: each step's output, in the order processed, and the final states. */
  runSequence(x: Tensor, options: CallOptions): SequenceRun {
    if (x.rank !== 3) this.checkShape(x.shape);
    const mask = this.checkMask(x, options.mask);
    const [batch, steps] = x.shape;
    if (options.training) this.calls++;
    const input = options.training && this.dropout > 0 ? mul(x, this.dropoutMask([batch, 1, x.shape[2]], this.dropout, 0)) : x;
    const recurrentMask = options.training && this.recurrentDropout > 0 ? this.dropoutMask([batch, this.units], this.recurrentDropout, 1) : undefined;
    const weights = this.cell.prepare();
    let states = this.cell.initialStates(batch);
    const outputs: Tensor[] = [];
    for (let i = 0; i < steps; i++) {
      const t = this.goBackwards ? steps - 1 - i : i;
      const next = this.cell.step(slice(input, [null, t]), states, weights, recurrentMask ? mul(states[0], recurrentMask) : states[0]);
      if (!mask) {
        states = next;
        outputs.push(next[0]);
        continue;
      }
      const keep = slice(mask, [null, { start: t, stop: t + 1 }]);
      outputs.push(where(keep, next[0], this.zeroOutputForMask ? zerosLike(next[0]) : states[0]));
      states = next.map((s, k) => where(keep, s, states[k]));
    }
    return { outputs, states };
  }

  call(inputs: Tensor, options: CallOptions): Tensor | Tensor[] {
    const { outputs, states } = this.runSequence(inputs, options);
    const output = this.returnSequences ? stack(outputs, 1) : outputs[outputs.length - 1];
    return this.returnState ? [output, ...states] : output;
  }

  override getConfig(): LayerConfig {
    const cell = this.cell;
    return {
      ...super.getConfig(),
      returnSequences: this.returnSequences,
      returnState: this.returnState,
      goBackwards: this.goBackwards,
      stateful: false,
      unroll: false,
      zeroOutputForMask: this.zeroOutputForMask,
      units: cell.units,
      activation: cell.activation,
      recurrentActivation: cell.recurrentActivation,
      useBias: cell.useBias,
      kernelInitializer: initializerConfig(cell.kernelInitializer),
      recurrentInitializer: initializerConfig(cell.recurrentInitializer),
      biasInitializer: initializerConfig(cell.biasInitializer),
      dropout: this.dropout,
      recurrentDropout: this.recurrentDropout,
      seed: this.seed,
    };
  }
}
