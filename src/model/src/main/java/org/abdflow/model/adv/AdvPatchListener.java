package org.abdflow.model.adv;

/** Hooks into {@link AdvPatchTrainer#fit}, for logging and reports; every method does nothing by default. */
public interface AdvPatchListener {

  default void onStart(int pairs, int stepsPerEpoch, AdvPatchOptions options) {}

  /** After one D step and one G step; {@code millis} is the wall time of both, batching included. */
  default void onStep(int epoch, int step, PatchLossTerms terms, double millis) {}

  /** After each epoch, with the mean of each term over its steps. */
  default void onEpochEnd(int epoch, PatchLossTerms means, double seconds) {}

  default void onEnd(AdvPatch patch) {}
}
