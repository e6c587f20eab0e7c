package org.abdflow.api.config;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.util.List;
import org.abdflow.api.Nullable;

/** One key of a config: its type, default (absent for required keys), range and meaning. */
@AutoValue
public abstract class ConfigKey implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract String name();

  public abstract ConfigType type();

  /** The default, of the key's Java type; {@code null} when the key is required or optional. */
  @Nullable
  public abstract Object defaultValue();

  /** Whether a spec must give the key. */
  public abstract boolean required();

  /** Inclusive lower bound for numbers; {@code null} for none. */
  @Nullable
  public abstract Double min();

  /** Inclusive upper bound for numbers; {@code null} for none. */
  @Nullable
  public abstract Double max();

  /** Allowed values for {@link ConfigType#ENUM}; empty otherwise. */
  public abstract List<String> allowed();

  public abstract String description();

  static Builder builder() {
    return new AutoValue_ConfigKey.Builder().setRequired(false).setAllowed(List.of());
  }

  /** The type as shown to users, e.g. {@code integer in [1, 64]} or {@code one of clamp|wrap}. */
  public String typeLabel() {
    if (type() == ConfigType.ENUM) {
      return "one of " + String.join("|", allowed());
    }
    String label = type().label();
    if (min() != null || max() != null) {
      label += " in [" + fmt(min(), "-inf") + ", " + fmt(max(), "inf") + "]";
    }
    return label;
  }

  private String fmt(Double d, String none) {
    if (d == null) {
      return none;
    }
    if ((type() == ConfigType.INT || type() == ConfigType.LONG) && d == Math.rint(d)) {
      return String.valueOf(d.longValue());
    }
    return String.valueOf(d);
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setName(String name);

    abstract Builder setType(ConfigType type);

    abstract Builder setDefaultValue(@Nullable Object value);

    abstract Builder setRequired(boolean required);

    abstract Builder setMin(@Nullable Double min);

    abstract Builder setMax(@Nullable Double max);

    abstract Builder setAllowed(List<String> allowed);

    abstract Builder setDescription(String description);

    abstract ConfigKey build();
  }
}
