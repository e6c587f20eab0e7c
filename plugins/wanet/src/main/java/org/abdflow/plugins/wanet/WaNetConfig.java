package org.abdflow.plugins.wanet;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.abdflow.api.PoisonCaptions;
import org.abdflow.api.PoisoningOptions;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;

/** The WaNet warp (PAPER.md §2.5) and its poisoning plan. */
@AutoValue
public abstract class WaNetConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addAll(PoisonCaptions.SCHEMA)
          .addInt("gridSize", 4, 1, 4096,
              "side k of the random control grid that is upsampled into the warp (WaNet: 4; the BadCLIP file name says k = 224, "
                  + "i.e. one random offset per pixel at 224 px, which is not smooth)")
          .addDouble("strength", 1.0, 0.0, 1000.0, "s: the warp is identity + s * noise / height (reference: 1)")
          .addDouble("gridRescale", 1.0, 0.0, 10.0, "factor on the whole grid before clamping to [-1, 1] (reference: 1)")
          .addLong("gridSeed", 0, null, null, "seed of the fixed noise grid (the same warp for every image)")
          .addAll(PoisoningOptions.SCHEMA)
          .build();

  public abstract PoisonCaptions captions();

  public abstract int gridSize();

  public abstract double strength();

  public abstract double gridRescale();

  public abstract long gridSeed();

  public abstract PoisoningOptions poisoning();

  static WaNetConfig from(ConfigValues v) {
    return new AutoValue_WaNetConfig(PoisonCaptions.from(v), v.getInt("gridSize"), v.getDouble("strength"), v.getDouble("gridRescale"),
        v.getLong("gridSeed"), PoisoningOptions.from(v));
  }
}
