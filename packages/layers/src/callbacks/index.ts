export { Callback, CallbackList, type CallbackHooks, type Logs, type TrainingParams } from './callback.ts';
export { History } from './history.ts';
export { EarlyStopping, type EarlyStoppingArgs } from './early-stopping.ts';
export { ReduceLROnPlateau, type ReduceLROnPlateauArgs } from './reduce-lr-on-plateau.ts';
export { LambdaCallback } from './lambda.ts';
export { ModelCheckpoint, type ModelCheckpointArgs } from './model-checkpoint.ts';
export type { MonitorMode } from './monitor.ts';
