package org.abdflow.api;

import org.abdflow.api.config.ConfigSchema;
import org.abdflow.api.config.ConfigValues;
import org.pf4j.ExtensionPoint;

/**
 * What every abdflow extension has: the spec {@code type} it answers to and a typed, validated
 * config. The engine checks a spec against {@link #configSchema()} and {@link #configure} before a
 * run starts, so a bad value is reported with its file, line and key instead of failing mid-run.
 *
 * @param <C> the extension's config, an immutable (AutoValue) value class
 */
public interface AbdflowExtension<C> extends ExtensionPoint {

  /** The spec's {@code type}, e.g. {@code BadNet}; unique over all loaded plugins. */
  String type();

  /** One line for {@code abdflow plugins}. */
  String description();

  /** Keys, types, defaults and ranges of the config. */
  ConfigSchema configSchema();

  /**
   * Builds the typed config from values already checked against {@link #configSchema()}; throws
   * {@link org.abdflow.api.config.ConfigException} naming the key for rules across keys.
   */
  C configure(ConfigValues values);
}
