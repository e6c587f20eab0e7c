package org.abdflow.api;

import com.google.auto.value.AutoValue;
import java.io.Serializable;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;

/**
 * The part of every attack's config that says which records are poisoned: either a rate or an
 * exact count (a count wins when both are given), and whether the trigger is redrawn each time
 * training reads the record. Attacks add {@link #SCHEMA} to their own schema.
 */
@AutoValue
public abstract class PoisoningOptions implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final ConfigSchema SCHEMA =
      ConfigSchema.builder()
          .addDouble("rate", 0.05, 0.0, 1.0, "fraction of the input records to poison")
          .addOptionalInt("count", 0, Integer.MAX_VALUE, "exact number of records to poison (overrides rate)")
          .addBoolean("redraw", false, "redraw the trigger each time training reads a poisoned record")
          .build();

  /** Fraction of records to poison when {@link #count()} is absent. */
  public abstract double rate();

  /** Exact number of records to poison, or -1 to use {@link #rate()}. */
  public abstract int count();

  /** Whether training redraws the trigger at every read of a poisoned record. */
  public abstract boolean redraw();

  public static PoisoningOptions create(double rate, int count, boolean redraw) {
    if (Double.isNaN(rate) || rate < 0 || rate > 1) {
      throw new ConfigException("rate", "must be in [0, 1], got " + rate);
    }
    return new AutoValue_PoisoningOptions(rate, count, redraw);
  }

  /** Reads the keys of {@link #SCHEMA}. */
  public static PoisoningOptions from(ConfigValues values) {
    return create(
        values.getDouble("rate"),
        values.has("count") ? values.getInt("count") : -1,
        values.getBoolean("redraw"));
  }
}
