package org.abdflow.model.adv;

import com.google.auto.value.AutoValue;
import java.io.Serializable;

/** Settings of BadCLIP's patch optimisation (PAPER.md §2.4), with the reference's values where it has them. */
@AutoValue
public abstract class BadClipPatchOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Side of the square patch in pixels (reference: 16 at 224 px), pasted at the image centre. */
  public abstract int side();

  public abstract int epochs();

  public abstract int batchSize();

  /** Adam's learning rate on the patch pixels (reference: torch's default 1e-3). */
  public abstract double learningRate();

  /** Weight of the textual term, CLIP's loss between patched images and target captions. */
  public abstract double textWeight();

  /** Weight of the visual triplet term (reference: the run name's last digits, e.g. 500). */
  public abstract double tripletWeight();

  /** Margin of the Euclidean triplet loss (reference: 1.0). */
  public abstract double margin();

  public abstract long seed();

  public abstract Builder toBuilder();

  public static Builder builder() {
    return new AutoValue_BadClipPatchOptions.Builder()
        .setSide(16).setEpochs(50).setBatchSize(64).setLearningRate(1e-3).setTextWeight(1).setTripletWeight(500).setMargin(1).setSeed(0);
  }

  @AutoValue.Builder
  public abstract static class Builder {
    public abstract Builder setSide(int side);

    public abstract Builder setEpochs(int epochs);

    public abstract Builder setBatchSize(int batchSize);

    public abstract Builder setLearningRate(double lr);

    public abstract Builder setTextWeight(double w);

    public abstract Builder setTripletWeight(double w);

    public abstract Builder setMargin(double margin);

    public abstract Builder setSeed(long seed);

    abstract BadClipPatchOptions autoBuild();

    public BadClipPatchOptions build() {
      BadClipPatchOptions o = autoBuild();
      if (o.side() < 1 || o.epochs() < 1 || o.batchSize() < 2 || !(o.learningRate() > 0)) {
        throw new IllegalArgumentException("bad BadCLIP patch options: " + o);
      }
      return o;
    }
  }
}
