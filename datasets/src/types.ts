/** A raw uint8 array with its shape (row-major), as read from an IDX file. */
export interface Uint8Tensor {
  values: Uint8Array;
  shape: number[];
}

/** Keras `load_data()` result: `[[xTrain, yTrain], [xTest, yTest]]`. */
export type Split = [images: Uint8Tensor, labels: Uint8Tensor];
export type DatasetSplits = [train: Split, test: Split];

export interface LoadOptions {
  /** Directory holding the four IDX files (plain or `.gz`); overrides the default location. */
  dir?: string;
}
