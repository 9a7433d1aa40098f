import { provideBackend, registerBackend } from '@strata/core';
import { createCpuBackend } from '@strata/backend-cpu';

// The CPU backend is always there; WebGPU is imported only when asked for, so browser bundles that
// never select it stay lean (and Node never loads Dawn unless it is used).
provideBackend('cpu', createCpuBackend(), 1);
const webgpu = (): Promise<typeof import('@strata/backend-webgpu')> => import('@strata/backend-webgpu');
registerBackend('webgpu', async () => (await webgpu()).createWebGpuBackend(), 2, async () => (await webgpu()).softwareAdapter());

export * from '@strata/core';

export { Model, type ModelArgs, type ModelOutput } from './models/model.ts';
export { Sequential } from './models/sequential.ts';
export { loadModel, modelFromJSON } from './models/load.ts';
export type { CompileArgs, PerOutput } from './training/compile.ts';
export type { OptimizerIdentifier } from './optimizers/index.ts';
export type { ModelData } from './training/data.ts';
export { assertFinite } from './training/finite.ts';
export type { SymbolicStructure, TrainableModel } from './graph/model-api.ts';
export { SymbolicTensor, Node } from './layers/symbolic.ts';
export { registerSerializable, type SerializableLayerClass } from './serialization.ts';
export { Layer, type LayerArgs, type LayerConfig, type LayerShape, type LayerShapes, type LayerInputs, type CallOptions } from './layers/layer.ts';
export { Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot, type ConcatenateArgs, type DotArgs } from './layers/merge.ts';
export { Dense, type DenseArgs } from './layers/dense.ts';
export { Activation, type ActivationArgs } from './layers/activation.ts';
export { Flatten } from './layers/flatten.ts';
export { Conv1D, Conv2D, type ConvArgs } from './layers/conv.ts';
export { DepthwiseConv2D, SeparableConv2D, type DepthwiseConv2DArgs, type SeparableConv2DArgs } from './layers/conv-depthwise.ts';
export { Conv2DTranspose, type Conv2DTransposeArgs } from './layers/conv-transpose.ts';
export {
  MaxPooling1D, MaxPooling2D, AveragePooling1D, AveragePooling2D, GlobalAveragePooling1D, GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D,
  type PoolingArgs, type GlobalPoolingArgs,
} from './layers/pooling.ts';
export { ZeroPadding2D, UpSampling2D, Rescaling, type ZeroPadding2DArgs, type UpSampling2DArgs, type RescalingArgs } from './layers/image-ops.ts';
export {
  RandomFlip, RandomTranslation, RandomRotation, RandomZoom, FLIP_MODES, type FlipMode,
  type RandomFlipArgs, type RandomTranslationArgs, type RandomRotationArgs, type RandomZoomArgs,
} from './layers/augmentation.ts';
export { FILL_MODES, INTERPOLATIONS, type FillMode, type Interpolation } from './layers/affine-sample.ts';
export type { Factor, FillArgs } from './layers/augmentation-args.ts';
export { Reshape, type ReshapeArgs } from './layers/reshape.ts';
export { Dropout, type DropoutArgs } from './layers/dropout.ts';
export { Embedding, type EmbeddingArgs } from './layers/embedding.ts';
export { Masking, type MaskingArgs } from './layers/masking.ts';
export { TimeDistributed, type TimeDistributedArgs } from './layers/time-distributed.ts';
export { RNN, type RNNArgs } from './layers/recurrent/rnn.ts';
export { SimpleRNN, type SimpleRNNArgs } from './layers/recurrent/simple-rnn.ts';
export { LSTM, type LSTMArgs } from './layers/recurrent/lstm.ts';
export { GRU, type GRUArgs } from './layers/recurrent/gru.ts';
export { Bidirectional, type BidirectionalArgs, type MergeMode } from './layers/recurrent/bidirectional.ts';
export { BatchNormalization, type BatchNormalizationArgs } from './layers/batch-normalization.ts';
export { LayerNormalization, type LayerNormalizationArgs } from './layers/layer-normalization.ts';
export { input, Input, InputLayer, type InputArgs } from './layers/input.ts';
export * as layers from './layers/index.ts';
export * as activations from './activations.ts';
export * as initializers from './initializers.ts';
export * as losses from './losses.ts';
export * as metrics from './metrics/index.ts';
export { Metric, type MetricConfig } from './metrics/index.ts';
export { Dataset, type Element } from './data/dataset.ts';
export type { BatchStream, StreamBatch } from './training/batch-stream.ts';
export * as optimizers from './optimizers/index.ts';
export * as callbacks from './callbacks/index.ts';
export { Callback, History, EarlyStopping, ReduceLROnPlateau, LambdaCallback, type CallbackHooks, type Logs } from './callbacks/index.ts';
export { ModelCheckpoint, type ModelCheckpointArgs } from './callbacks/index.ts';
export { LearningRateScheduler, CSVLogger, TerminateOnNaN, BackupAndRestore, ProgbarLogger } from './callbacks/index.ts';
export { Optimizer, SGD, RMSprop, Adam, AdamW, Adagrad, Nadam, Adamax, Adadelta, Lion, Ftrl } from './optimizers/index.ts';
export { LearningRateSchedule, type LearningRate } from './optimizers/index.ts';
export type { FitOptions } from './training/fit.ts';
export type { EvaluateOptions } from './training/evaluate.ts';
export type { LogSink } from './training/progress.ts';
export { toCategorical } from './utils.ts';
export { modelToBytes, modelToBlob, type SaveSource } from './io/index.ts';
