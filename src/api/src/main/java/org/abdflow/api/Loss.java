package org.abdflow.api;

import ai.djl.ndarray.NDArray;

/**
 * One term of a training objective, computed on a batch of embeddings. Terms are summed with the
 * weights the spec gives them. Results must be attached to the batch's manager (the engine closes
 * it after each step, so nothing outlives the step).
 */
public interface Loss<C> extends AbdflowExtension<C> {

  /** The term's value, a scalar. */
  NDArray compute(EmbeddingBatch batch, C config);
}
