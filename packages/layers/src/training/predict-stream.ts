import { concat, dispose, tidy, type Tensor } from '@strata/core';
import type { TrainableModel } from '../graph/model-api.ts';
import { BatchReader, type BatchStream } from './batch-stream.ts';
import { toTensorList } from './data.ts';

/**
 * `predict` over a stream: each item is x (a tensor, a record by input name) or an array whose first
 * entry is x (`[x]`, `[x, y]`, `[x, y, w]`: targets are ignored, as Keras does; a list of inputs is
 * therefore written `[[a, b]]`). Up to `steps` batches (default: until the stream ends), read one ahead;
 * the outputs are joined along the batch axis. The stream's tensors are freed after their batch.
 */
export async function predictStream(model: TrainableModel, stream: BatchStream<unknown>, steps = Infinity): Promise<Tensor[]> {
  const reader = new BatchReader(stream);
  const parts: Tensor[][] = [];
  try {
    for (let step = 0; step < steps; step++) {
      const item = await reader.next();
      if (item === undefined) break;
      const x = Array.isArray(item) ? item[0] : item;
      const xs = toTensorList(x, model.inputNames, 'x', `predict (batch ${step + 1} of the stream)`);
      model.assertInputShapes(xs.map((t) => t.shape));
      parts.push(tidy(() => model.forward(xs, {}).outputs));
      dispose(Array.isArray(item) ? item.flat() : xs);
    }
  } finally {
    await reader.close();
  }
  if (!parts.length) throw new Error('predict: the stream gave no batches');
  const outs = parts.length === 1 ? parts[0] : parts[0].map((_, i) => concat(parts.map((p) => p[i]), 0));
  if (parts.length > 1) dispose(parts.flat());
  return outs;
}
