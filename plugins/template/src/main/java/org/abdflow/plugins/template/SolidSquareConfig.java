package org.abdflow.plugins.template;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.abdflow.api.PoisoningOptions;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;

/** Config of {@link SolidSquareAttack}: checked by the engine before a run. */
@AutoValue
public abstract class SolidSquareConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addRequiredString("target", "class name poisoned captions point at")
          .addInt("size", 4, 1, 4096, "side of the square in pixels")
          .addInt("value", 255, 0, 255, "grey level of the square")
          .addAll(PoisoningOptions.SCHEMA)
          .build();

  public abstract String target();

  public abstract int size();

  public abstract int value();

  public abstract PoisoningOptions poisoning();

  static SolidSquareConfig from(ConfigValues v) {
    return new AutoValue_SolidSquareConfig(v.getString("target"), v.getInt("size"), v.getInt("value"), PoisoningOptions.from(v));
  }
}
