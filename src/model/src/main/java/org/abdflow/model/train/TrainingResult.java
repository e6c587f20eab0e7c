package org.abdflow.model.train;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.List;

/** What a {@link ClipTrainer#fit} run did. */
@AutoValue
public abstract class TrainingResult implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Mean loss of each epoch. */
  public abstract List<Float> epochLosses();

  public abstract int steps();

  /** Wall-clock seconds of the whole run. */
  public abstract double seconds();

  /** Mean milliseconds of a step (data, forward, backward, update). */
  public abstract double millisPerStep();

  /** The logit scale s after training (the temperature is exp(s)). */
  public abstract float logitScale();

  public static TrainingResult create(List<Float> epochLosses, int steps, double seconds, double millisPerStep, float logitScale) {
    return new AutoValue_TrainingResult(List.copyOf(epochLosses), steps, seconds, millisPerStep, logitScale);
  }

  public float finalLoss() {
    return epochLosses().isEmpty() ? Float.NaN : epochLosses().get(epochLosses().size() - 1);
  }
}
