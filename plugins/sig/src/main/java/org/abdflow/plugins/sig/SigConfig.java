package org.abdflow.plugins.sig;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.abdflow.api.PoisonCaptions;
import org.abdflow.api.PoisoningOptions;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;

/** The SIG trigger (PAPER.md §2.5) and its poisoning plan. */
@AutoValue
public abstract class SigConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addAll(PoisonCaptions.SCHEMA)
          .addDouble("delta", 60, 0.0, 255.0, "amplitude of the sinusoid in 8-bit levels (reference: 60)")
          .addDouble("frequency", 6, 0.0, 10_000.0, "periods across the image's width (reference: 6)")
          .addAll(PoisoningOptions.SCHEMA)
          .build();

  public abstract PoisonCaptions captions();

  public abstract double delta();

  public abstract double frequency();

  public abstract PoisoningOptions poisoning();

  static SigConfig from(ConfigValues v) {
    return new AutoValue_SigConfig(PoisonCaptions.from(v), v.getDouble("delta"), v.getDouble("frequency"), PoisoningOptions.from(v));
  }
}
