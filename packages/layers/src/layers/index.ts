/** tfjs-style factories: `layers.dense({units: 512, activation: 'relu', inputShape: [784]})`. */
import { Activation, type ActivationArgs } from './activation.ts';
import { Dense, type DenseArgs } from './dense.ts';
import { Dropout, type DropoutArgs } from './dropout.ts';
import { Flatten } from './flatten.ts';
import { InputLayer, type InputArgs } from './input.ts';
import type { LayerArgs } from './layer.ts';
import { Reshape, type ReshapeArgs } from './reshape.ts';

export const dense = (args: DenseArgs): Dense => new Dense(args);
export const activation = (args: ActivationArgs): Activation => new Activation(args);
export const flatten = (args: LayerArgs = {}): Flatten => new Flatten(args);
export const reshape = (args: ReshapeArgs): Reshape => new Reshape(args);
export const dropout = (args: DropoutArgs): Dropout => new Dropout(args);
export const input = (args: InputArgs): InputLayer => new InputLayer(args);
export const inputLayer = input;
