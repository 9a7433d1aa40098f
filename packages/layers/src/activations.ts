import { relu, sigmoid, softmax, tanh, type Tensor } from '@strata/core';
import { lookup } from './identifiers.ts';

export const ACTIVATION_IDS = ['relu', 'softmax', 'sigmoid', 'tanh', 'linear'] as const;
export type ActivationId = (typeof ACTIVATION_IDS)[number];

const FUNCTIONS: Record<ActivationId, (x: Tensor) => Tensor> = {
  relu,
  softmax: (x) => softmax(x, -1),
  sigmoid,
  tanh,
  linear: (x) => x,
};

const BY_NAME = Object.fromEntries(ACTIVATION_IDS.map((id) => [id, id])) as Record<ActivationId, ActivationId>;

/** Resolve a Keras activation identifier (`undefined`/`null` mean `linear`); unknown names list the valid ones. */
export function getActivation(identifier: string | null | undefined): ActivationId {
  if (identifier === undefined || identifier === null) return 'linear';
  return lookup('activation', BY_NAME, identifier);
}

/** Apply an activation; `linear` returns its input unchanged. */
export function activate(id: ActivationId, x: Tensor): Tensor {
  return FUNCTIONS[id](x);
}
