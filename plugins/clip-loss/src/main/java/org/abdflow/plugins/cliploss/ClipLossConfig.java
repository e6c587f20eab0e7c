package org.abdflow.plugins.cliploss;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;

/** Weight of the CLIP term in a sum of terms. */
@AutoValue
public abstract class ClipLossConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder().addDouble("weight", 1.0, 0.0, null, "lambda_1 of the objective (PAPER §1.5)").build();

  public abstract double weight();

  static ClipLossConfig from(ConfigValues v) {
    return new AutoValue_ClipLossConfig(v.getDouble("weight"));
  }
}
