package org.abdflow.model.train;

/** Observes a {@link ClipTrainer} run; all methods are called on the training thread. */
public interface TrainingListener {

  default void onTrainingStart(int pairs, int stepsPerEpoch, TrainingOptions options) {}

  /** After each optimiser step; {@code step} counts from 0 over the whole run. */
  default void onStep(int epoch, int step, float loss, double learningRate, double millis) {}

  default void onEpochEnd(int epoch, float meanLoss, double seconds) {}

  default void onTrainingEnd(TrainingResult result) {}
}
