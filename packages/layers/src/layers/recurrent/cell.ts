import { concat, zeros, type Tensor, type Variable } from '@strata/core';
import { getActivation, type ActivationId } from '../../activations.ts';
import { getInitializer, type Initializer, type InitializerIdentifier } from '../../initializers.ts';
import { Layer, formatLayerShape, type CallOptions, type LayerArgs, type LayerShape } from '../layer.ts';

/** The options every recurrent cell takes (Keras's names and defaults). */
export interface CellArgs extends LayerArgs {
  units: number;
  activation?: ActivationId | null;
  recurrentActivation?: ActivationId | null;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  recurrentInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
}

/** A boolean option: `fallback` when absent; anything but true or false is an error naming it. */
export function flag(value: unknown, fallback: boolean, name: string, className: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new Error(`${className}: ${name} must be true or false, got ${JSON.stringify(value) ?? String(value)}`);
  return value;
}

/**
 * One step of a recurrent layer, holding Keras's three weights: `kernel` (features, gates·units),
 * `recurrent_kernel` (units, gates·units) and `bias`, gates in Keras's order. `prepare` runs once per
 * sequence (it joins kernel and recurrent kernel so a step is one matmul for every gate); `step` maps
 * the input of one timestep and the states to the new states, the first of which is the output.
 */
export abstract class RNNCell<W extends StepWeights = StepWeights> extends Layer {
  readonly units: number;
  readonly activation: ActivationId;
  readonly recurrentActivation: ActivationId;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly recurrentInitializer: Initializer;
  readonly biasInitializer: Initializer;
  kernel?: Variable;
  recurrentKernel?: Variable;
  bias?: Variable;
  /** Gates stacked along the kernel's last axis: 1 (SimpleRNN), 4 (LSTM: i, f, c, o), 3 (GRU: z, r, h). */
  abstract readonly gates: number;
  /** States carried between steps: [h], or [h, c] for an LSTM. */
  abstract readonly stateCount: number;

  constructor(args: CellArgs, className: string) {
    super(args, className);
    if (!Number.isInteger(args.units) || args.units < 1) throw new Error(`${className}: units must be a positive integer, got ${args.units}`);
    this.units = args.units;
    this.activation = getActivation(args.activation === undefined ? 'tanh' : args.activation);
    this.recurrentActivation = getActivation(args.recurrentActivation === undefined ? 'sigmoid' : args.recurrentActivation);
    this.useBias = flag(args.useBias, true, 'useBias', className);
    this.kernelInitializer = getInitializer(args.kernelInitializer ?? 'glorot_uniform');
    this.recurrentInitializer = getInitializer(args.recurrentInitializer ?? 'orthogonal');
    this.biasInitializer = getInitializer(args.biasInitializer ?? 'zeros');
  }

  /** The bias's shape and initializer (GRU's reset_after bias is (2, 3·units); LSTM adds the forget bias). */
  protected biasSpec(): { shape: number[]; initializer: Initializer } {
    return { shape: [this.gates * this.units], initializer: this.biasInitializer };
  }

  override build(inputShape: LayerShape): void {
    const features = inputShape[inputShape.length - 1];
    if (inputShape.length !== 2 || features === null) throw new Error(`${this.className} "${this.name}": a step's input must be (batch, features) with features known, got ${formatLayerShape(inputShape)}`);
    this.kernel = this.addWeight('kernel', [features, this.gates * this.units], this.kernelInitializer);
    this.recurrentKernel = this.addWeight('recurrent_kernel', [this.units, this.gates * this.units], this.recurrentInitializer);
    if (this.useBias) {
      const { shape, initializer } = this.biasSpec();
      this.bias = this.addWeight('bias', shape, initializer);
    }
    super.build(inputShape);
  }

  protected weightsOrThrow(): { kernel: Variable; recurrentKernel: Variable } {
    if (!this.kernel || !this.recurrentKernel) throw new Error(`${this.className} "${this.name}" is not built`);
    return { kernel: this.kernel, recurrentKernel: this.recurrentKernel };
  }

  /** The step's weights, computed once per sequence (the tape sees them once, not once per step). */
  abstract prepare(): W;

  /** [kernel; recurrent_kernel] (features + units, gates·units) and the bias: a step's one matmul. */
  protected joinedKernels(): StepWeights {
    const { kernel, recurrentKernel } = this.weightsOrThrow();
    return { joined: concat([kernel, recurrentKernel], 0), bias: this.bias };
  }

  /** The new states after one timestep; `hMasked` is h with recurrent dropout applied (h itself otherwise). */
  abstract step(x: Tensor, states: readonly Tensor[], weights: W, hMasked: Tensor): Tensor[];

  initialStates(batch: number): Tensor[] {
    return Array.from({ length: this.stateCount }, () => zeros([batch, this.units]));
  }

  /** One step on [input, ...states]: what `step` gives (the new states, output first). */
  call(inputs: Tensor[], _options: CallOptions): Tensor[] {
    const [x, ...states] = inputs;
    return this.step(x, states, this.prepare(), states[0]);
  }

  override computeOutputShape(): LayerShape[] {
    return Array.from({ length: this.stateCount }, () => [null, this.units]);
  }
}

/** What a step reads: the joined kernels (features + units, gates·units) and the bias, or a cell's own. */
export interface StepWeights {
  readonly joined: Tensor;
  readonly bias?: Tensor;
}
