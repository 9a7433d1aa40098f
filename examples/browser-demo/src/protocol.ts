// Messages between the page (main thread) and the training worker.

/** The two networks of the book the page can train: chapter 2's MLP and chapter 8's convnet. */
export const MODEL_KINDS = ['mlp', 'convnet'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];
export const BACKEND_NAMES = ['cpu', 'webgpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** Page → worker. */
export type Request =
  | { type: 'init'; trainCount: number; testCount: number; backend: BackendName | undefined; seed: number | undefined; model: ModelKind }
  | { type: 'model'; model: ModelKind }
  | { type: 'train'; epochs: number; batchSize: number; learningRate: number; validationSplit: number }
  | { type: 'stop' }
  | { type: 'predict'; pixels: Float32Array };

/** One labelled test digit and the model's guess. */
export interface GridDigit {
  readonly pixels: Uint8Array;
  readonly label: number;
  readonly guess: number;
}

/** What the model has been through: `epochs` finished epochs of training (0: its initial random weights). */
export interface ModelState {
  readonly kind: ModelKind;
  readonly epochs: number;
}

/** Grey images (values in [0, 1]) of one size, `count` of them back to back. */
export interface ImageStack {
  readonly width: number;
  readonly height: number;
  readonly count: number;
  readonly values: Float32Array;
}

/** Worker → page. */
export type Reply =
  | { type: 'loading'; fraction: number }
  /** `choice` says which backend was picked and why (`ready()`'s line, or "asked for"). */
  | { type: 'ready'; backend: BackendName; choice: string; adapter: string; trainCount: number; testCount: number }
  /** A new model (initial random weights) replaced the previous one. */
  | { type: 'model'; state: ModelState }
  /** The finished lines of Keras's progress output (`Epoch 2/5`, the epoch's final bar). */
  | { type: 'log'; line: string }
  /** The in-place line while an epoch runs, with its `Epoch k/N` counter. */
  | { type: 'progress'; epoch: string; line: string }
  /** A new reading of the running epoch means; `step` counts the model's training steps so far. */
  | { type: 'batch'; step: number; loss: number; accuracy: number; samplesPerSecond: number }
  /** An epoch's final logs (with `val_` entries when validation is on), at step `step`. */
  | { type: 'epoch'; step: number; logs: Record<string, number>; state: ModelState }
  | { type: 'trained'; samplesPerSecond: number; testAccuracy: number; state: ModelState }
  | { type: 'grid'; digits: GridDigit[]; state: ModelState }
  | { type: 'prediction'; probabilities: number[]; state: ModelState }
  /** The convnet's first convolution: its 3×3 kernels, and its feature maps of the last drawn digit. */
  | { type: 'filters'; kernels: ImageStack; maps: ImageStack | undefined; state: ModelState }
  | { type: 'error'; message: string };

/** The image side and pixel count of an MNIST digit. */
export const SIDE = 28;
export const PIXELS = SIDE * SIDE;
