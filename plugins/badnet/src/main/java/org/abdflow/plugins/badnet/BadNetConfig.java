package org.abdflow.plugins.badnet;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.List;
import org.abdflow.api.PoisonCaptions;
import org.abdflow.api.PoisoningOptions;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.api.image.FloatImage.Overflow;

/** The BadNet trigger and its poisoning plan. */
@AutoValue
public abstract class BadNetConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addAll(PoisonCaptions.SCHEMA)
          .addInt("size", 16, 1, 4096, "side of the noise square in pixels (PAPER §2.2: 16 at 224 px)")
          .addEnum("position", "random", List.of("random", "bottom-right", "top-left", "center"),
              "where the square goes: redrawn per image, or fixed")
          .addEnum("overflow", "clamp", List.of("clamp", "wrap"),
              "8-bit conversion of out-of-range noise: clamp, or wrap as the reference code's uint8 cast does")
          .addDouble("noiseStd", 1.0, 0.0, 100.0, "std of the normal noise added to the image's channel mean")
          .addAll(PoisoningOptions.SCHEMA)
          .build();

  /** The target and the captions poisoned records get. */
  public abstract PoisonCaptions captions();

  public String target() {
    return captions().target();
  }

  public abstract int size();

  public abstract String position();

  public abstract Overflow overflow();

  public abstract double noiseStd();

  public abstract PoisoningOptions poisoning();

  /** The BadNet keys but the caption templates: a label-consistent attack keeps the captions. */
  static final ConfigSchema LABEL_CONSISTENT_SCHEMA = SCHEMA.without("templates");

  static BadNetConfig labelConsistent(ConfigValues v) {
    return from(v, PoisonCaptions.of(v.getString("target"), List.of("{}")));
  }

  static Builder builder() {
    return new AutoValue_BadNetConfig.Builder();
  }

  static BadNetConfig from(ConfigValues v) {
    return from(v, PoisonCaptions.from(v));
  }

  private static BadNetConfig from(ConfigValues v, PoisonCaptions captions) {
    return builder()
        .setCaptions(captions)
        .setSize(v.getInt("size"))
        .setPosition(v.getString("position"))
        .setOverflow(Overflow.valueOf(v.getString("overflow").toUpperCase(java.util.Locale.ROOT)))
        .setNoiseStd(v.getDouble("noiseStd"))
        .setPoisoning(PoisoningOptions.from(v))
        .build();
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setCaptions(PoisonCaptions captions);

    abstract Builder setSize(int size);

    abstract Builder setPosition(String position);

    abstract Builder setOverflow(Overflow overflow);

    abstract Builder setNoiseStd(double std);

    abstract Builder setPoisoning(PoisoningOptions poisoning);

    abstract BadNetConfig autoBuild();

    BadNetConfig build() {
      return autoBuild();
    }
  }
}
