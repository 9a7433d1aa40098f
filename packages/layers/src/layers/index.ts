/** tfjs-style factories: `layers.dense({units: 512, activation: 'relu', inputShape: [784]})`. */
import { Activation, type ActivationArgs } from './activation.ts';
import { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.ts';
import { Dense, type DenseArgs } from './dense.ts';
import { Dropout, type DropoutArgs } from './dropout.ts';
import { Flatten } from './flatten.ts';
import { InputLayer, input as symbolicInput, type InputArgs } from './input.ts';
import type { LayerArgs } from './layer.ts';
import { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract, type ConcatenateArgs, type DotArgs } from './merge.ts';
import { LayerNormalization, type LayerNormalizationArgs } from './layer-normalization.ts';
import { Reshape, type ReshapeArgs } from './reshape.ts';

export const dense = (args: DenseArgs): Dense => new Dense(args);
export const activation = (args: ActivationArgs): Activation => new Activation(args);
export const flatten = (args: LayerArgs = {}): Flatten => new Flatten(args);
export const reshape = (args: ReshapeArgs): Reshape => new Reshape(args);
export const dropout = (args: DropoutArgs): Dropout => new Dropout(args);
export const batchNormalization = (args: BatchNormalizationArgs = {}): BatchNormalization => new BatchNormalization(args);
export const layerNormalization = (args: LayerNormalizationArgs = {}): LayerNormalization => new LayerNormalization(args);
/** A symbolic input tensor (Keras's `keras.Input`); `Sequential([layers.input({shape}), …])` takes it too. */
export const input = symbolicInput;
export const inputLayer = (args: InputArgs): InputLayer => new InputLayer(args);
export const add = (args: LayerArgs = {}): Add => new Add(args);
export const subtract = (args: LayerArgs = {}): Subtract => new Subtract(args);
export const multiply = (args: LayerArgs = {}): Multiply => new Multiply(args);
export const average = (args: LayerArgs = {}): Average => new Average(args);
export const maximum = (args: LayerArgs = {}): Maximum => new Maximum(args);
export const minimum = (args: LayerArgs = {}): Minimum => new Minimum(args);
export const concatenate = (args: ConcatenateArgs = {}): Concatenate => new Concatenate(args);
export const dot = (args: DotArgs): Dot => new Dot(args);
