package org.abdflow.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * One term of a training objective, computed on a batch of embeddings. Terms are summed; each
 * scales itself by the weight in its config. Results must be attached to the batch's manager (the
 * engine closes it after each step, so nothing outlives the step).
 *
 * <p>A term that keeps state from step to step (RoCLIP's caption memory bank) overrides {@link
 * #open}; the engine opens every term once per training run and closes it at the end.
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

  /**
   * Whether the term reads the original images and captions; when no term of an objective does
   * (RoCLIP on augmented views only), the trainer does not encode them.
   */
  default boolean readsOriginals(C config) {
    return true;
  }

  /** The term's value, a scalar. */
  NDArray compute(EmbeddingBatch batch, C config);

  /** The term for one training run; the default is stateless and calls {@link #compute}. */
  default Term open(C config, RunScope scope) {
    return batch -> compute(batch, config);
  }

  /** A loss term opened for one training run. */
  @FunctionalInterface
  interface Term extends AutoCloseable {
    NDArray compute(EmbeddingBatch batch);

    /**
     * What the term carries from step to step, as bytes, or null when it carries nothing. Saved
     * with each epoch checkpoint, so that a killed training resumes to the same weights; a term
     * with state that returns null makes resumed runs differ from uninterrupted ones.
     */
    default byte[] state() {
      return null;
    }

    /** Puts back what {@link #state()} returned at the end of an earlier epoch. */
    default void restore(byte[] state) {
      throw new UnsupportedOperationException(getClass().getName() + " keeps no state to restore");
    }

    @Override
    default void close() {}
  }

  /** What a term may keep across the steps of one run. */
  interface RunScope {
    /** A manager that lives until the run ends; state arrays belong here, never to a batch. */
    NDManager manager();

    /** The run's seed for this term (state initialisation). */
    long seed();
  }
}
