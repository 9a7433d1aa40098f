// The models that make the trip, each with its MNIST preparation (shared with the other examples, so the
// trip trains exactly the networks they train).
import type { Split } from '@strata/datasets';
import type { Model, ModelData, SymbolicStructure, Tensor } from '@strata/layers';
import { bookNetwork, prepare } from '../mnist-mlp/book.ts';
import { prepareTwoHeads, twoHeadsModel } from '../functional/two-heads.ts';
import { bookConvnet, prepareImages } from '../mnist-mlp/convnet.ts';

/** Inputs and targets: one tensor each, or records by input and output name. */
export interface TripData {
  x: Tensor | Record<string, Tensor>;
  y: Tensor | Record<string, Tensor>;
}

export interface TripModel {
  name: string;
  batchSize: number;
  /** A new compiled model (its weights from the global seed). */
  build(): Model<SymbolicStructure>;
  prepare(split: Split): TripData;
}

export const BOOK: TripModel = { name: 'book', batchSize: 128, build: bookNetwork, prepare };

export const TWO_HEADS: TripModel = {
  name: 'two-heads',
  batchSize: 64,
  build: twoHeadsModel,
  prepare: prepareTwoHeads,
};

export const CONVNET: TripModel = { name: 'convnet', batchSize: 64, build: bookConvnet, prepare: prepareImages };

export const TRIP_MODELS: readonly TripModel[] = [BOOK, TWO_HEADS, CONVNET];

export function tensorsOf(data: ModelData): Tensor[] {
  if (Array.isArray(data)) return data;
  return 'shape' in data ? [data as Tensor] : Object.values(data);
}
