package org.abdflow.plugins.cliploss;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.List;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;

/** Weight of the CLIP term in a sum of terms, and which pairs it contrasts. */
@AutoValue
public abstract class ClipLossConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addDouble("weight", 1.0, 0.0, null, "lambda_1 of the objective (PAPER §1.5)")
          .addEnum("pairs", "original", List.of("original", "views"),
              "original: (I, T); views: the augmented pairs (I_adv, T_eda), ABD's cross-modal alternative [I]")
          .build();

  public abstract double weight();

  /** Whether the term contrasts the augmented views rather than the originals. */
  public abstract boolean onViews();

  static ClipLossConfig from(ConfigValues v) {
    return new AutoValue_ClipLossConfig(v.getDouble("weight"), v.getString("pairs").equals("views"));
  }
}
