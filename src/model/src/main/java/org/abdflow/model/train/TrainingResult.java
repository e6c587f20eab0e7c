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

  /** Mean milliseconds of a step (batching, forward, backward, update). */
  public abstract double millisPerStep();

  /** Mean milliseconds per step spent making the batch's arrays (image reads, resizing, tokens). */
  public abstract double millisData();

  /** Mean milliseconds per step in forward, loss and backward. */
  public abstract double millisForwardBackward();

  /** Mean milliseconds per step in the optimiser update. */
  public abstract double millisUpdate();

  /** The logit scale s after training (the temperature is exp(s)). */
  public abstract float logitScale();

  /**
   * Steps whose forward/backward was computed again because a gradient or the loss was not finite
   * (see {@link ClipTrainer}); 0 in a healthy run.
   */
  public abstract int recomputedSteps();

  /** Epochs taken from an epoch checkpoint of an earlier, interrupted run (0 when none). */
  public abstract int resumedEpochs();

  public static Builder builder() {
    return new AutoValue_TrainingResult.Builder().setRecomputedSteps(0).setResumedEpochs(0);
  }

  public float finalLoss() {
    return epochLosses().isEmpty() ? Float.NaN : epochLosses().get(epochLosses().size() - 1);
  }

  /** Builds a {@link TrainingResult}. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setEpochLosses(List<Float> v);

    public abstract Builder setSteps(int v);

    public abstract Builder setSeconds(double v);

    public abstract Builder setMillisPerStep(double v);

    public abstract Builder setMillisData(double v);

    public abstract Builder setMillisForwardBackward(double v);

    public abstract Builder setMillisUpdate(double v);

    public abstract Builder setLogitScale(float v);

    public abstract Builder setRecomputedSteps(int v);

    public abstract Builder setResumedEpochs(int v);

    abstract List<Float> epochLosses();

    abstract TrainingResult autoBuild();

    public TrainingResult build() {
      setEpochLosses(List.copyOf(epochLosses()));
      return autoBuild();
    }
  }
}
