package org.abdflow.api;

import ai.djl.ndarray.NDArray;

/**
 * One term of a training objective, computed on a batch of embeddings. Terms are summed with the
 * weights the spec gives them. Results must be attached to the batch's manager (the engine closes
 * it after each step, so nothing outlives the step).
 */
public interface Loss<C> extends AbdflowExtension<C> {
  /** The augmented image view of the batch (CleanCLIP's Ĩ, ABD's I_adv); see {@link EmbeddingBatch#view}. */
  String IMAGE_VIEW = "image-aug";

  /** The augmented caption view of the batch (CleanCLIP's and ABD's T̃ = T_eda). */
  String TEXT_VIEW = "text-aug";

  /**
   * The views this term reads ({@link #IMAGE_VIEW}, {@link #TEXT_VIEW}); the trainer encodes only
   * views some term asks for. A record without an augmented view contributes its original.
   */
  default java.util.Set<String> views(C config) {
    return java.util.Set.of();
  }

  /** The term's value, a scalar. */
  NDArray compute(EmbeddingBatch batch, C config);
}
