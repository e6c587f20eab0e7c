package org.abdflow.api.config;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A config map that passed {@link ConfigSchema#validate}: every key is known, of the right type and
 * in range, and defaults are filled in. Getters return the schema's Java types.
 */
public final class ConfigValues implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Map<String, Object> values;

  ConfigValues(Map<String, Object> values) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
  }

  /** Whether the key has a value (given or defaulted). */
  public boolean has(String key) {
    return values.get(key) != null;
  }

  public int getInt(String key) {
    return ((Number) require(key)).intValue();
  }

  public long getLong(String key) {
    return ((Number) require(key)).longValue();
  }

  public double getDouble(String key) {
    return ((Number) require(key)).doubleValue();
  }

  public boolean getBoolean(String key) {
    return (Boolean) require(key);
  }

  public String getString(String key) {
    return (String) require(key);
  }

  @SuppressWarnings("unchecked")
  public List<String> getStringList(String key) {
    return (List<String>) require(key);
  }

  @SuppressWarnings("unchecked")
  public List<ExtensionSpec> getExtensionList(String key) {
    return (List<ExtensionSpec>) require(key);
  }

  /** The values as a plain map (defaults included), e.g. to record in lineage. */
  public Map<String, Object> asMap() {
    return values;
  }

  private Object require(String key) {
    Object v = values.get(key);
    if (v == null) {
      throw new ConfigException(key, "has no value");
    }
    return v;
  }

  @Override
  public String toString() {
    return values.toString();
  }
}
