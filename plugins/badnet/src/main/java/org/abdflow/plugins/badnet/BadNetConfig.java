package org.abdflow.plugins.badnet;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.List;
import org.abdflow.api.PoisoningOptions;
import org.abdflow.api.PromptTemplates;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.abdflow.api.image.FloatImage.Overflow;

/** The BadNet trigger and its poisoning plan. */
@AutoValue
public abstract class BadNetConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addRequiredString("target", "class name the backdoor points at (poisoned captions name it)")
          .addInt("size", 16, 1, 4096, "side of the noise square in pixels (PAPER §2.2: 16 at 224 px)")
          .addEnum("position", "random", List.of("random", "bottom-right", "top-left", "center"),
              "where the square goes: redrawn per image, or fixed")
          .addEnum("overflow", "clamp", List.of("clamp", "wrap"),
              "8-bit conversion of out-of-range noise: clamp, or wrap as the reference code's uint8 cast does")
          .addDouble("noiseStd", 1.0, 0.0, 100.0, "std of the normal noise added to the image's channel mean")
          .addStringList("templates", List.of("simple"), "caption templates for poisoned records ({} = target), or a named set")
          .addAll(PoisoningOptions.SCHEMA)
          .build();

  public abstract String target();

  public abstract int size();

  public abstract String position();

  public abstract Overflow overflow();

  public abstract double noiseStd();

  public abstract List<String> templates();

  public abstract PoisoningOptions poisoning();

  static Builder builder() {
    return new AutoValue_BadNetConfig.Builder();
  }

  static BadNetConfig from(ConfigValues v) {
    return builder()
        .setTarget(v.getString("target"))
        .setSize(v.getInt("size"))
        .setPosition(v.getString("position"))
        .setOverflow(Overflow.valueOf(v.getString("overflow").toUpperCase(java.util.Locale.ROOT)))
        .setNoiseStd(v.getDouble("noiseStd"))
        .setTemplates(expand(v.getStringList("templates")))
        .setPoisoning(PoisoningOptions.from(v))
        .build();
  }

  private static List<String> expand(List<String> names) {
    java.util.ArrayList<String> out = new java.util.ArrayList<>();
    for (String n : names) {
      try {
        out.addAll(PromptTemplates.named(n));
      } catch (IllegalArgumentException e) {
        throw new ConfigException("templates", e.getMessage());
      }
    }
    return List.copyOf(out);
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setTarget(String target);

    abstract Builder setSize(int size);

    abstract Builder setPosition(String position);

    abstract Builder setOverflow(Overflow overflow);

    abstract Builder setNoiseStd(double std);

    abstract Builder setTemplates(List<String> templates);

    abstract Builder setPoisoning(PoisoningOptions poisoning);

    abstract BadNetConfig autoBuild();

    BadNetConfig build() {
      BadNetConfig c = autoBuild();
      if (c.target().isBlank()) {
        throw new ConfigException("target", "must name a class");
      }
      if (c.templates().isEmpty()) {
        throw new ConfigException("templates", "needs at least one template");
      }
      return c;
    }
  }
}
