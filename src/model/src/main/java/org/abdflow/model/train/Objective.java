package org.abdflow.model.train;

import org.abdflow.api.Tensors;
import ai.djl.ndarray.NDArray;
import org.abdflow.api.EmbeddingBatch;

/** What a training step minimises, as a scalar on the batch's manager. */
@FunctionalInterface
public interface Objective {

  NDArray loss(EmbeddingBatch batch);

  /** This objective plus {@code weight} × another (e.g. a plugin's loss term). */
  default Objective plus(double weight, Objective other) {
    return batch -> loss(batch).add(Tensors.mul(other.loss(batch), weight));
  }
}
