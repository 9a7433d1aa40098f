import type { Tensor } from '@strata/core';
import { activate } from '../activations.ts';
import type { CallOptions } from '../layers/layer.ts';
import type { SymbolicTensor } from '../layers/symbolic.ts';
import type { Graph } from './graph.ts';

export interface GraphRun {
  outputs: Tensor[];
  /** Per output: its pre-activation, where `logitsFor` asked for it and the output's layer has that activation. */
  logits: (Tensor | undefined)[];
}

/**
 * Run a graph on concrete inputs, node by node in order. `logitsFor[i]` names the activation output i's
 * loss fuses with (softmax, sigmoid): when output i comes straight from a layer with that activation, the
 * pre-activation is kept too, so the loss can be computed from logits (finite for any value).
 */
export function runGraph(graph: Graph, inputs: readonly Tensor[], options: CallOptions, logitsFor: readonly (string | undefined)[] = []): GraphRun {
  const values = new Map<SymbolicTensor, Tensor>();
  const masks = new Map<SymbolicTensor, Tensor>();
  graph.inputs.forEach((t, i) => values.set(t, inputs[i]));
  const logits = new Map<SymbolicTensor, Tensor>();
  const wanted = new Map<SymbolicTensor, string>();
  graph.outputs.forEach((t, i) => logitsFor[i] && wanted.set(t, logitsFor[i]));
  for (const node of graph.nodes) {
    if (node.inputs.length === 0) continue; // an input: its value was given
    const args = node.inputs.map((t) => values.get(t) as Tensor);
    const layer = node.layer;
    const out = node.outputs[0];
    const input = node.listInput ? args : args[0];
    // masks travel with single inputs (Keras's Embedding(mask_zero) → recurrent layers) and stop at layers that cannot use one
    const mask = node.listInput || layer.refusesMask ? undefined : masks.get(node.inputs[0]);
    const callOptions = mask ? { ...options, mask } : options;
    if (!node.listInput && node.outputs.length === 1 && wanted.get(out) === layer.outputActivation) {
      layer.assertInputShape(args[0].shape);
      const pre = layer.callPreActivation(args[0], callOptions);
      logits.set(out, pre);
      values.set(out, activate(layer.outputActivation, pre));
    } else {
      const results = layer.applyOutputs(input, callOptions);
      node.outputs.forEach((t, i) => values.set(t, results[i]));
    }
    const outMask = layer.computeMask(input, mask);
    if (outMask) node.outputs.forEach((t) => masks.set(t, outMask));
  }
  return { outputs: graph.outputs.map((t) => values.get(t) as Tensor), logits: graph.outputs.map((t) => logits.get(t)) };
}
