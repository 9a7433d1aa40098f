// Messages between the page (main thread) and the training worker.

/** Page → worker. */
export type Request =
  | { type: 'init'; trainCount: number; testCount: number; backend: 'cpu' | 'webgpu' | undefined; seed: number | undefined }
  | { type: 'train'; epochs: number; batchSize: number; learningRate: number }
  | { type: 'stop' }
  | { type: 'predict'; pixels: Float32Array };

/** One labelled test digit and the model's guess. */
export interface GridDigit {
  readonly pixels: Uint8Array;
  readonly label: number;
  readonly guess: number;
}

/** Worker → page. */
export type Reply =
  | { type: 'loading'; fraction: number }
  | { type: 'ready'; backend: string; adapter: string; trainCount: number; testCount: number }
  | { type: 'log'; line: string }
  /** A new reading of the running epoch means; `step` counts the model's training steps so far. */
  | { type: 'batch'; step: number; loss: number; accuracy: number; samplesPerSecond: number }
  | { type: 'trained'; samplesPerSecond: number; testAccuracy: number }
  | { type: 'grid'; digits: GridDigit[] }
  | { type: 'prediction'; probabilities: number[] }
  | { type: 'error'; message: string };

/** The image side and pixel count of an MNIST digit. */
export const SIDE = 28;
export const PIXELS = SIDE * SIDE;
