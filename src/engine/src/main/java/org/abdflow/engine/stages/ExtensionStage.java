package org.abdflow.engine.stages;

import org.abdflow.api.AbdflowExtension;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;

/**
 * A stage that wraps one plugin extension: its type, description, config schema and typed config
 * are the extension's own; subclasses say how many inputs it takes and how it expands.
 */
abstract class ExtensionStage<E extends AbdflowExtension<?>> implements StageType {
  protected final E extension;
  private final int minInputs;
  private final int maxInputs;

  ExtensionStage(E extension, int minInputs, int maxInputs) {
    this.extension = extension;
    this.minInputs = minInputs;
    this.maxInputs = maxInputs;
  }

  @Override
  public final String type() {
    return extension.type();
  }

  @Override
  public final String description() {
    return extension.description();
  }

  @Override
  public final ConfigSchema schema() {
    return extension.configSchema();
  }

  @Override
  public final int minInputs() {
    return minInputs;
  }

  @Override
  public final int maxInputs() {
    return maxInputs;
  }

  @Override
  public final Object configure(ConfigValues values) {
    return extension.configure(values);
  }
}
