package org.abdflow.model.train;

import com.google.auto.value.AutoValue;
import java.io.Serializable;

/**
 * The optimisation recipe: AdamW (decoupled weight decay, none on norms, biases and the logit
 * scale), linear warm-up then cosine decay to 0 over all steps, logit scale clamped to [0, max]
 * after every step. Defaults are CleanCLIP's except the learning rate, which has none.
 */
@AutoValue
public abstract class TrainingOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract int epochs();

  public abstract int batchSize();

  public abstract double learningRate();

  public abstract double weightDecay();

  public abstract double beta1();

  public abstract double beta2();

  public abstract double eps();

  public abstract int warmupSteps();

  /** Seed of the batch order (the model's initial weights have their own). */
  public abstract long seed();

  public abstract double logitScaleMax();

  /** Whether a last batch smaller than {@link #batchSize()} is skipped. */
  public abstract boolean dropLast();

  public abstract Builder toBuilder();

  public static Builder builder() {
    return new AutoValue_TrainingOptions.Builder()
        .setBatchSize(128)
        .setWeightDecay(0.1)
        .setBeta1(0.9)
        .setBeta2(0.999)
        .setEps(1e-8)
        .setWarmupSteps(50)
        .setSeed(0)
        .setLogitScaleMax(Math.log(100))
        .setDropLast(false);
  }

  /** Steps per epoch over {@code n} pairs (batches of fewer than two pairs are skipped). */
  public int stepsPerEpoch(int n) {
    int full = n / batchSize();
    int rest = n % batchSize();
    return full + (!dropLast() && rest >= 2 ? 1 : 0);
  }

  /** The learning rate of 0-based step {@code step} of {@code totalSteps}: warm-up, then cosine. */
  public double learningRate(int step, int totalSteps) {
    if (step < warmupSteps()) {
      return learningRate() * (step + 1) / warmupSteps();
    }
    int span = totalSteps - warmupSteps();
    if (span <= 0) {
      return learningRate();
    }
    return 0.5 * (1 + Math.cos(Math.PI * (step - warmupSteps()) / span)) * learningRate();
  }

  /** Builds {@link TrainingOptions}; epochs and learning rate are required. */
  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setEpochs(int v);

    public abstract Builder setBatchSize(int v);

    public abstract Builder setLearningRate(double v);

    public abstract Builder setWeightDecay(double v);

    public abstract Builder setBeta1(double v);

    public abstract Builder setBeta2(double v);

    public abstract Builder setEps(double v);

    public abstract Builder setWarmupSteps(int v);

    public abstract Builder setSeed(long v);

    public abstract Builder setLogitScaleMax(double v);

    public abstract Builder setDropLast(boolean v);

    abstract TrainingOptions autoBuild();

    public TrainingOptions build() {
      TrainingOptions o = autoBuild();
      if (o.epochs() < 0 || o.batchSize() < 2 || !(o.learningRate() >= 0) || o.weightDecay() < 0
          || o.warmupSteps() < 0 || o.beta1() < 0 || o.beta1() >= 1 || o.beta2() < 0 || o.beta2() >= 1) {
        throw new IllegalArgumentException("bad training options " + o);
      }
      return o;
    }
  }
}
