package org.abdflow.api.config;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A reference to an extension inside another config, as a spec writes it: a type name alone
 * ({@code ClipLoss}) or a map {@code {type: UniModalLoss, config: {weight: 0.5}}}. The nested
 * config is checked against the extension's own schema by whoever resolves the type.
 */
public final class ExtensionSpec implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String type;
  private final LinkedHashMap<String, Object> config;

  public ExtensionSpec(String type, Map<String, ?> config) {
    this.type = Objects.requireNonNull(type, "type");
    this.config = new LinkedHashMap<>(config == null ? Map.of() : config);
  }

  public static ExtensionSpec of(String type) {
    return new ExtensionSpec(type, Map.of());
  }

  public String type() {
    return type;
  }

  /** The raw nested config (empty when the spec gave only the type). */
  public Map<String, Object> config() {
    return Collections.unmodifiableMap(config);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExtensionSpec e && e.type.equals(type) && e.config.equals(config);
  }

  @Override
  public int hashCode() {
    return Objects.hash(type, config);
  }

  @Override
  public String toString() {
    return config.isEmpty() ? type : type + config;
  }
}
