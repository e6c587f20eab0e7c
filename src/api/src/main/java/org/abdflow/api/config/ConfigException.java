package org.abdflow.api.config;

/** A config value that is wrong; names the key so the engine can point at its line in the spec. */
public class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String key;

  public ConfigException(String key, String message) {
    super(key + ": " + message);
    this.key = key;
  }

  /** The config key at fault. */
  public String key() {
    return key;
  }

  /** The message without the key prefix. */
  public String detail() {
    String m = getMessage();
    return m.startsWith(key + ": ") ? m.substring(key.length() + 2) : m;
  }
}
