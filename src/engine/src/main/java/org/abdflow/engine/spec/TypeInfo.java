package org.abdflow.engine.spec;

import com.google.auto.value.AutoValue;
import java.util.function.Function;
import org.abdflow.api.AbdflowExtension;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;

/** What the validator needs to know of one transform type. */
@AutoValue
public abstract class TypeInfo {

  /** The spec's {@code type}, e.g. {@code BadNet}. */
  public abstract String type();

  public abstract ConfigSchema schema();

  /** Fewest inputs the type takes. */
  public abstract int minInputs();

  /** Most inputs the type takes; {@link Integer#MAX_VALUE} for no limit. */
  public abstract int maxInputs();

  /**
   * Builds the typed config from schema-checked values; may throw {@link
   * org.abdflow.api.config.ConfigException} naming a key (rules across keys).
   */
  public abstract Function<ConfigValues, ?> configure();

  /** One line for messages and listings. */
  public abstract String description();

  public static TypeInfo create(
      String type,
      ConfigSchema schema,
      int minInputs,
      int maxInputs,
      Function<ConfigValues, ?> configure,
      String description) {
    if (minInputs < 0 || maxInputs < minInputs) {
      throw new IllegalArgumentException(
          type + ": bad input range [" + minInputs + ", " + maxInputs + "]");
    }
    return new AutoValue_TypeInfo(type, schema, minInputs, maxInputs, configure, description);
  }

  /** The type an extension answers to; the arity comes from its extension point. */
  public static TypeInfo of(AbdflowExtension<?> extension, int minInputs, int maxInputs) {
    return create(
        extension.type(),
        extension.configSchema(),
        minInputs,
        maxInputs,
        extension::configure,
        extension.description());
  }
}
