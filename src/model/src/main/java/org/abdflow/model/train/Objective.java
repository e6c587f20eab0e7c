package org.abdflow.model.train;

import org.abdflow.api.Tensors;
import ai.djl.ndarray.NDArray;
import org.abdflow.api.EmbeddingBatch;

/** What a training step minimises, as a scalar on the batch's manager. */
@FunctionalInterface
public interface Objective {

  NDArray loss(EmbeddingBatch batch);

  /** The augmented views the objective reads ({@code Loss.IMAGE_VIEW}, {@code Loss.TEXT_VIEW}). */
  default java.util.Set<String> views() {
    return java.util.Set.of();
  }

  /** Whether some term reads the original images and captions; when none does they are not encoded. */
  default boolean needsOriginals() {
    return true;
  }

  /**
   * What the objective's terms carry from step to step, by name (empty when nothing), saved with
   * each epoch checkpoint; see {@code Loss.Term#state()}.
   */
  default java.util.Map<String, byte[]> state() {
    return java.util.Map.of();
  }

  /** Puts back what {@link #state()} returned at the end of an earlier epoch. */
  default void restore(java.util.Map<String, byte[]> state) {
    if (!state.isEmpty()) {
      throw new IllegalArgumentException("this objective keeps no state, but the checkpoint has " + state.keySet());
    }
  }

  /** This objective plus {@code weight} × another (e.g. a plugin's loss term). */
  default Objective plus(double weight, Objective other) {
    Objective self = this;
    return new Objective() {
      @Override
      public NDArray loss(EmbeddingBatch batch) {
        return self.loss(batch).add(Tensors.mul(other.loss(batch), weight));
      }

      @Override
      public java.util.Set<String> views() {
        java.util.Set<String> all = new java.util.TreeSet<>(self.views());
        all.addAll(other.views());
        return all;
      }

      @Override
      public boolean needsOriginals() {
        return self.needsOriginals() || other.needsOriginals();
      }

      // both sides' state, apart by prefix, so a sum of stateful objectives resumes too
      @Override
      public java.util.Map<String, byte[]> state() {
        java.util.Map<String, byte[]> all = new java.util.LinkedHashMap<>();
        self.state().forEach((k, v) -> all.put("0." + k, v));
        other.state().forEach((k, v) -> all.put("1." + k, v));
        return all;
      }

      @Override
      public void restore(java.util.Map<String, byte[]> state) {
        java.util.Map<String, byte[]> first = new java.util.LinkedHashMap<>();
        java.util.Map<String, byte[]> second = new java.util.LinkedHashMap<>();
        state.forEach((k, v) -> (k.startsWith("0.") ? first : second).put(k.substring(2), v));
        self.restore(first);
        other.restore(second);
      }
    };
  }
}
