package org.abdflow.api.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The keys a config accepts. {@link #validate} checks a raw spec map (as YAML gives it) and
 * reports every problem at once; {@link #parse} returns typed values with defaults filled in.
 */
public final class ConfigSchema implements Serializable {
  private static final long serialVersionUID = 1L;
  private final Map<String, ConfigKey> keys;

  private ConfigSchema(Map<String, ConfigKey> keys) {
    this.keys = keys;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The schema with no keys. */
  public static ConfigSchema empty() {
    return builder().build();
  }

  /** This schema less the named keys (e.g. an attack variant that has no caption templates). */
  public ConfigSchema without(String... names) {
    Map<String, ConfigKey> copy = new LinkedHashMap<>(keys);
    for (String n : names) {
      if (copy.remove(n) == null) {
        throw new IllegalArgumentException("no key " + n + " to remove");
      }
    }
    return new ConfigSchema(copy);
  }

  public Collection<ConfigKey> keys() {
    return keys.values();
  }

  /**
   * {@code raw} with every relative {@link ConfigType#PATH} value made absolute against {@code
   * base} (the spec file's folder), so a spec runs the same from any working directory.
   */
  public Map<String, Object> resolvePaths(Map<String, ?> raw, java.nio.file.Path base) {
    Map<String, Object> out = new LinkedHashMap<>(raw == null ? Map.of() : raw);
    for (ConfigKey key : keys.values()) {
      if (key.type() == ConfigType.PATH && out.get(key.name()) instanceof String v && !v.isBlank()) {
        java.nio.file.Path p = java.nio.file.Path.of(v);
        out.put(key.name(), p.isAbsolute() ? v : base.resolve(p).normalize().toString());
      }
    }
    return java.util.Collections.unmodifiableMap(out);
  }

  /** Every problem of {@code raw}: unknown keys, missing required keys, wrong types, out of range. */
  public List<ConfigProblem> validate(Map<String, ?> raw) {
    List<ConfigProblem> problems = new ArrayList<>();
    Map<String, ?> given = raw == null ? Map.of() : raw;
    for (String name : given.keySet()) {
      if (!keys.containsKey(name)) {
        problems.add(new ConfigProblem(name, "unknown key (known: " + String.join(", ", keys.keySet()) + ")"
            + DidYouMean.suggestion(name, keys.keySet())));
      }
    }
    for (ConfigKey key : keys.values()) {
      Object v = given.get(key.name());
      if (v == null) {
        if (key.required()) {
          problems.add(new ConfigProblem(key.name(), "is required (" + key.typeLabel() + ": " + key.description() + ")"));
        }
        continue;
      }
      String problem = check(key, v);
      if (problem != null) {
        problems.add(new ConfigProblem(key.name(), problem));
      }
    }
    return problems;
  }

  /** Typed values with defaults; throws {@link ConfigException} on the first problem. */
  public ConfigValues parse(Map<String, ?> raw) {
    List<ConfigProblem> problems = validate(raw);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems.get(0).key(), problems.get(0).message());
    }
    Map<String, Object> out = new LinkedHashMap<>();
    Map<String, ?> given = raw == null ? Map.of() : raw;
    for (ConfigKey key : keys.values()) {
      Object v = given.get(key.name());
      out.put(key.name(), v == null ? key.defaultValue() : convert(key, v));
    }
    return new ConfigValues(out);
  }

  private static String check(ConfigKey key, Object v) {
    switch (key.type()) {
      case INT:
      case LONG:
        if (!(v instanceof Integer || v instanceof Long || v instanceof java.math.BigInteger)) {
          return "expected an integer, got " + describe(v);
        }
        if (key.type() == ConfigType.INT && (((Number) v).longValue() > Integer.MAX_VALUE || ((Number) v).longValue() < Integer.MIN_VALUE)) {
          return "integer out of range: " + v;
        }
        return range(key, ((Number) v).doubleValue(), v);
      case DOUBLE:
        if (!(v instanceof Number)) {
          return "expected a number, got " + describe(v);
        }
        return range(key, ((Number) v).doubleValue(), v);
      case BOOLEAN:
        return v instanceof Boolean ? null : "expected true or false, got " + describe(v);
      case STRING:
        return v instanceof String ? null : "expected a string, got " + describe(v);
      case PATH:
        return v instanceof String && !((String) v).isBlank() ? null : "expected a file path, got " + describe(v);
      case STRING_LIST:
        if (v instanceof String) {
          return null; // a single string is a list of one
        }
        if (!(v instanceof List)) {
          return "expected a list of strings, got " + describe(v);
        }
        for (Object o : (List<?>) v) {
          if (!(o instanceof String)) {
            return "expected a list of strings, found " + describe(o);
          }
        }
        return null;
      case EXTENSION_LIST:
        return checkExtensions(v);
      case ENUM:
        if (!(v instanceof String) || !key.allowed().contains(((String) v).toLowerCase(Locale.ROOT))) {
          return "expected one of " + String.join(", ", key.allowed()) + ", got " + describe(v)
              + (v instanceof String given ? DidYouMean.suggestion(given, key.allowed()) : "");
        }
        return null;
      default:
        throw new AssertionError(key.type());
    }
  }

  private static String checkExtensions(Object v) {
    List<?> items = v instanceof List<?> l ? l : List.of(v);
    for (int i = 0; i < items.size(); i++) {
      Object o = items.get(i);
      if (o instanceof String) {
        continue;
      }
      if (!(o instanceof Map<?, ?> m)) {
        return "item " + i + ": expected a type name or a map {type, config}, got " + describe(o);
      }
      for (Object k : m.keySet()) {
        if (!"type".equals(k) && !"config".equals(k)) {
          return "item " + i + ": unknown key " + k + " (known: type, config)";
        }
      }
      if (!(m.get("type") instanceof String)) {
        return "item " + i + ": needs a type (a string)";
      }
      if (m.get("config") != null && !(m.get("config") instanceof Map)) {
        return "item " + i + ": config must be a map, got " + describe(m.get("config"));
      }
    }
    return null;
  }

  @SuppressWarnings("unchecked")
  private static List<ExtensionSpec> toExtensions(Object v) {
    List<?> items = v instanceof List<?> l ? l : List.of(v);
    List<ExtensionSpec> out = new ArrayList<>();
    for (Object o : items) {
      if (o instanceof String t) {
        out.add(ExtensionSpec.of(t));
      } else {
        Map<String, ?> m = (Map<String, ?>) o;
        out.add(new ExtensionSpec((String) m.get("type"), (Map<String, ?>) m.get("config")));
      }
    }
    return List.copyOf(out);
  }

  private static String range(ConfigKey key, double d, Object v) {
    if (Double.isNaN(d)) {
      return "is not a number";
    }
    if ((key.min() != null && d < key.min()) || (key.max() != null && d > key.max())) {
      return "out of range: " + v + " (expected " + key.typeLabel() + ")";
    }
    return null;
  }

  private static Object convert(ConfigKey key, Object v) {
    switch (key.type()) {
      case INT:
        return ((Number) v).intValue();
      case LONG:
        return ((Number) v).longValue();
      case DOUBLE:
        return ((Number) v).doubleValue();
      case ENUM:
        return ((String) v).toLowerCase(Locale.ROOT);
      case STRING_LIST:
        if (v instanceof String) {
          return List.of((String) v);
        }
        List<String> copy = new ArrayList<>();
        for (Object o : (List<?>) v) {
          copy.add((String) o);
        }
        return List.copyOf(copy);
      case EXTENSION_LIST:
        return toExtensions(v);
      default:
        return v;
    }
  }

  private static String describe(Object v) {
    if (v instanceof String) {
      return "\"" + v + "\" (string)";
    }
    if (v instanceof List) {
      return "a list";
    }
    if (v instanceof Map) {
      return "a map";
    }
    return v + " (" + v.getClass().getSimpleName().toLowerCase(Locale.ROOT) + ")";
  }

  /** Declares keys in the order {@code abdflow plugins} shows them. */
  public static final class Builder {
    private final Map<String, ConfigKey> keys = new LinkedHashMap<>();

    private Builder add(ConfigKey key) {
      if (keys.put(key.name(), key) != null) {
        throw new IllegalStateException("config key declared twice: " + key.name());
      }
      return this;
    }

    private static ConfigKey.Builder key(String name, ConfigType type, String description) {
      return ConfigKey.builder().setName(name).setType(type).setDescription(description);
    }

    private static Double d(Number n) {
      return n == null ? null : n.doubleValue();
    }

    public Builder addInt(String name, int dflt, Integer min, Integer max, String description) {
      return add(key(name, ConfigType.INT, description).setDefaultValue(dflt).setMin(d(min)).setMax(d(max)).build());
    }

    /** An integer key without default; absent unless the spec gives it. */
    public Builder addOptionalInt(String name, Integer min, Integer max, String description) {
      return add(key(name, ConfigType.INT, description).setMin(d(min)).setMax(d(max)).build());
    }

    public Builder addRequiredInt(String name, Integer min, Integer max, String description) {
      return add(key(name, ConfigType.INT, description).setRequired(true).setMin(d(min)).setMax(d(max)).build());
    }

    public Builder addLong(String name, long dflt, Long min, Long max, String description) {
      return add(key(name, ConfigType.LONG, description).setDefaultValue(dflt).setMin(d(min)).setMax(d(max)).build());
    }

    public Builder addDouble(String name, double dflt, Double min, Double max, String description) {
      return add(key(name, ConfigType.DOUBLE, description).setDefaultValue(dflt).setMin(min).setMax(max).build());
    }

    public Builder addBoolean(String name, boolean dflt, String description) {
      return add(key(name, ConfigType.BOOLEAN, description).setDefaultValue(dflt).build());
    }

    public Builder addString(String name, String dflt, String description) {
      return add(key(name, ConfigType.STRING, description).setDefaultValue(dflt).build());
    }

    /** A string key without default; absent unless the spec gives it. */
    public Builder addOptionalString(String name, String description) {
      return add(key(name, ConfigType.STRING, description).build());
    }

    public Builder addRequiredString(String name, String description) {
      return add(key(name, ConfigType.STRING, description).setRequired(true).build());
    }

    /** A file path key without default; a relative path is relative to the spec file's folder. */
    public Builder addOptionalPath(String name, String description) {
      return add(key(name, ConfigType.PATH, description).build());
    }

    /** A required file path key; a relative path is relative to the spec file's folder. */
    public Builder addRequiredPath(String name, String description) {
      return add(key(name, ConfigType.PATH, description).setRequired(true).build());
    }

    public Builder addStringList(String name, List<String> dflt, String description) {
      return add(key(name, ConfigType.STRING_LIST, description).setDefaultValue(dflt == null ? null : List.copyOf(dflt)).build());
    }

    /** Extensions by type name or {@code {type, config}}; {@code dflt} lists type names. */
    public Builder addExtensionList(String name, List<String> dflt, String description) {
      List<ExtensionSpec> d = dflt == null ? null : dflt.stream().map(ExtensionSpec::of).toList();
      return add(key(name, ConfigType.EXTENSION_LIST, description).setDefaultValue(d).build());
    }

    public Builder addEnum(String name, String dflt, List<String> allowed, String description) {
      if (dflt != null && !allowed.contains(dflt)) {
        throw new IllegalArgumentException(name + ": default " + dflt + " not in " + allowed);
      }
      return add(key(name, ConfigType.ENUM, description).setDefaultValue(dflt).setAllowed(List.copyOf(allowed)).build());
    }

    /** Adds every key of another schema (e.g. {@link org.abdflow.api.PoisoningOptions#SCHEMA}). */
    public Builder addAll(ConfigSchema other) {
      other.keys().forEach(this::add);
      return this;
    }

    public ConfigSchema build() {
      return new ConfigSchema(new LinkedHashMap<>(keys));
    }
  }
}
