/** tfjs-style factories: `layers.dense({units: 512, activation: 'relu', inputShape: [784]})`. */
import { Activation, type ActivationArgs } from './activation.ts';
import { BatchNormalization, type BatchNormalizationArgs } from './batch-normalization.ts';
import { Dense, type DenseArgs } from './dense.ts';
import { Dropout, type DropoutArgs } from './dropout.ts';
import { Flatten } from './flatten.ts';
import { Conv1D, Conv2D, type ConvArgs } from './conv.ts';
import { DepthwiseConv2D, SeparableConv2D, type DepthwiseConv2DArgs, type SeparableConv2DArgs } from './conv-depthwise.ts';
import { Conv2DTranspose, type Conv2DTransposeArgs } from './conv-transpose.ts';
import {
  AveragePooling1D, AveragePooling2D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D, MaxPooling1D, MaxPooling2D,
  type GlobalPoolingArgs, type PoolingArgs,
} from './pooling.ts';
import { Rescaling, UpSampling2D, ZeroPadding2D, type RescalingArgs, type UpSampling2DArgs, type ZeroPadding2DArgs } from './image-ops.ts';
import {
  RandomFlip, RandomRotation, RandomTranslation, RandomZoom, type RandomFlipArgs, type RandomRotationArgs, type RandomTranslationArgs, type RandomZoomArgs,
} from './augmentation.ts';
import { InputLayer, input as symbolicInput, type InputArgs } from './input.ts';
import type { LayerArgs } from './layer.ts';
import { Add, Average, Concatenate, Dot, Maximum, Minimum, Multiply, Subtract, type ConcatenateArgs, type DotArgs } from './merge.ts';
import { LayerNormalization, type LayerNormalizationArgs } from './layer-normalization.ts';
import { Reshape, type ReshapeArgs } from './reshape.ts';
import { Embedding, type EmbeddingArgs } from './embedding.ts';
import { Masking, type MaskingArgs } from './masking.ts';
import { TimeDistributed, type TimeDistributedArgs } from './time-distributed.ts';
import { Bidirectional, type BidirectionalArgs } from './recurrent/bidirectional.ts';
import { GRU, type GRUArgs } from './recurrent/gru.ts';
import { LSTM, type LSTMArgs } from './recurrent/lstm.ts';
import { SimpleRNN, type SimpleRNNArgs } from './recurrent/simple-rnn.ts';

export const dense = (args: DenseArgs): Dense => new Dense(args);
export const activation = (args: ActivationArgs): Activation => new Activation(args);
export const flatten = (args: LayerArgs = {}): Flatten => new Flatten(args);
export const conv1d = (args: ConvArgs): Conv1D => new Conv1D(args);
export const conv2d = (args: ConvArgs): Conv2D => new Conv2D(args);
export const depthwiseConv2d = (args: DepthwiseConv2DArgs): DepthwiseConv2D => new DepthwiseConv2D(args);
export const separableConv2d = (args: SeparableConv2DArgs): SeparableConv2D => new SeparableConv2D(args);
export const conv2dTranspose = (args: Conv2DTransposeArgs): Conv2DTranspose => new Conv2DTranspose(args);
export const maxPooling1d = (args: PoolingArgs = {}): MaxPooling1D => new MaxPooling1D(args);
export const maxPooling2d = (args: PoolingArgs = {}): MaxPooling2D => new MaxPooling2D(args);
export const averagePooling1d = (args: PoolingArgs): AveragePooling1D => new AveragePooling1D(args);
export const averagePooling2d = (args: PoolingArgs): AveragePooling2D => new AveragePooling2D(args);
export const globalAveragePooling1d = (args: GlobalPoolingArgs = {}): GlobalAveragePooling1D => new GlobalAveragePooling1D(args);
export const globalAveragePooling2d = (args: GlobalPoolingArgs = {}): GlobalAveragePooling2D => new GlobalAveragePooling2D(args);
export const globalMaxPooling1d = (args: GlobalPoolingArgs = {}): GlobalMaxPooling1D => new GlobalMaxPooling1D(args);
export const globalMaxPooling2d = (args: GlobalPoolingArgs = {}): GlobalMaxPooling2D => new GlobalMaxPooling2D(args);
export const zeroPadding2d = (args: ZeroPadding2DArgs = {}): ZeroPadding2D => new ZeroPadding2D(args);
export const upSampling2d = (args: UpSampling2DArgs = {}): UpSampling2D => new UpSampling2D(args);
export const rescaling = (args: RescalingArgs): Rescaling => new Rescaling(args);
export const randomFlip = (args: RandomFlipArgs = {}): RandomFlip => new RandomFlip(args);
export const randomTranslation = (args: RandomTranslationArgs): RandomTranslation => new RandomTranslation(args);
export const randomRotation = (args: RandomRotationArgs): RandomRotation => new RandomRotation(args);
export const randomZoom = (args: RandomZoomArgs): RandomZoom => new RandomZoom(args);
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
export const embedding = (args: EmbeddingArgs): Embedding => new Embedding(args);
export const masking = (args: MaskingArgs = {}): Masking => new Masking(args);
export const simpleRNN = (args: SimpleRNNArgs): SimpleRNN => new SimpleRNN(args);
export const lstm = (args: LSTMArgs): LSTM => new LSTM(args);
export const gru = (args: GRUArgs): GRU => new GRU(args);
export const bidirectional = (args: BidirectionalArgs): Bidirectional => new Bidirectional(args);
export const timeDistributed = (args: TimeDistributedArgs): TimeDistributed => new TimeDistributed(args);
