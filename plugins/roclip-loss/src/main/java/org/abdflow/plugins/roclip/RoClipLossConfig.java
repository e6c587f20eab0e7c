package org.abdflow.plugins.roclip;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;

/** RoCLIP's settings (PAPER.md §3.3), with the reference repository's defaults. */
@AutoValue
public abstract class RoClipLossConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addDouble("weight", 1.0, 0.0, null, "weight of the term in the objective")
          .addInt("bankSize", 21_845, 1, 10_000_000, "slots in the caption memory bank (RoCLIP's --memory_bank_size)")
          .addInt("breakEpoch", 2, 1, 100_000,
              "every breakEpoch-th epoch (counting from 1) pairs images with their nearest bank caption; other epochs use the plain CLIP loss")
          .addBoolean("crossAug", true,
              "train on the augmented views (image-aug, text-aug) instead of the originals (RoCLIP's --cross_aug)")
          .build();

  public abstract double weight();

  public abstract int bankSize();

  public abstract int breakEpoch();

  public abstract boolean crossAug();

  /** Whether 0-based {@code epoch} is one of RoCLIP's re-pairing epochs ({@code (epoch + 1) % breakEpoch == 0}). */
  public boolean repairs(int epoch) {
    return (epoch + 1) % breakEpoch() == 0;
  }

  static RoClipLossConfig from(ConfigValues v) {
    return new AutoValue_RoClipLossConfig(v.getDouble("weight"), v.getInt("bankSize"), v.getInt("breakEpoch"), v.getBoolean("crossAug"));
  }
}
