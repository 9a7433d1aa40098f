import type { Tensor } from '@strata/core';
import type { TrainableModel } from '../graph/model-api.ts';
import { Embedding } from '../layers/embedding.ts';

/**
 * Model inputs that feed an `Embedding` directly are read once (asynchronously, so on every backend) and
 * their indices checked, before `fit`/`evaluate`/`trainOnBatch` touch anything: a bad index is an error
 * naming it, not a silent row of zeros. The training steps then need no read-back per batch.
 */
export async function checkEmbeddingIndices(model: TrainableModel, xs: readonly Tensor[], where: string): Promise<void> {
  const graph = model.graphFor(xs.map((t) => t.shape.slice(1)));
  for (const node of graph.nodes) {
    const at = graph.inputs.indexOf(node.inputs[0]);
    if (!(node.layer instanceof Embedding) || node.inputs.length !== 1 || at < 0) continue;
    const values = await xs[at].data();
    try {
      node.layer.checkIndices(values);
    } catch (error) {
      throw new Error(`${where}: ${(error as Error).message}`, { cause: error });
    }
  }
}
