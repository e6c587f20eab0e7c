package org.abdflow.plugins.blended;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.abdflow.api.Nullable;
import org.abdflow.api.PoisonCaptions;
import org.abdflow.api.PoisoningOptions;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;

/** The Blended trigger and its poisoning plan (PAPER.md §2.3). */
@AutoValue
public abstract class BlendedConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addAll(PoisonCaptions.SCHEMA)
          .addDouble("alpha", 0.2, 0.0, 1.0, "blend ratio: x' = alpha * trigger + (1 - alpha) * x (the reference's --blended_alpha)")
          .addOptionalPath("image", "a trigger image (PNG/JPEG; absolute, or relative to the spec's folder), resized to each image; absent: uniform noise U[0, 1) redrawn per image")
          .addAll(PoisoningOptions.SCHEMA)
          .build();

  public abstract PoisonCaptions captions();

  public abstract double alpha();

  /** The trigger image's path, or null for per-image noise. */
  @Nullable
  public abstract String image();

  public abstract PoisoningOptions poisoning();

  static BlendedConfig from(ConfigValues v) {
    return new AutoValue_BlendedConfig(PoisonCaptions.from(v), v.getDouble("alpha"), v.has("image") ? v.getString("image") : null,
        PoisoningOptions.from(v));
  }
}
