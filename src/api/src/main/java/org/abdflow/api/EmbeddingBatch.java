package org.abdflow.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Optional;

/** The embeddings of one training batch that loss terms see. */
public interface EmbeddingBatch {

  /** L2-normalised image embeddings, N x d. */
  NDArray images();

  /** L2-normalised caption embeddings, N x d, row i paired with image i. */
  NDArray texts();

  /** The learnable logit scale s (the logits are {@code exp(s) * u . v}), a scalar. */
  NDArray logitScale();

  /** An augmented view by name ({@code image-aug}, {@code text-aug}, ...), when the recipe made one. */
  Optional<NDArray> view(String name);

  /** The 0-based epoch, for terms that change over training. */
  int epoch();

  /** The manager the step's arrays belong to. */
  NDManager manager();
}
