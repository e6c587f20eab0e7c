package org.abdflow.engine.plugins;

import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.abdflow.api.AbdflowExtension;
import org.abdflow.api.config.ConfigValues;

/**
 * What a DoFn carries to reach an extension on a worker: the plugin folders, the spec type and the
 * raw config. Only host types are serialized; the extension and its typed config are resolved on
 * the worker ({@link #resolve}), because a class from a plugin JAR cannot be deserialized by the
 * runner.
 */
public final class ExtensionRef implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<String> folders;
  private final String type;
  private final LinkedHashMap<String, Object> config;
  private final TreeMap<String, String> pluginDigests;

  /** A reference that checks no JAR digests (on the submitting JVM itself). */
  public ExtensionRef(List<Path> folders, String type, Map<String, ?> config) {
    this(folders, Map.of(), type, config);
  }

  /**
   * A reference for a worker: {@code pluginDigests} are the submitting JVM's
   * {@link PluginRegistry#pluginDigests}, and {@link #resolve} refuses a plugin JAR that differs.
   */
  public ExtensionRef(List<Path> folders, Map<String, String> pluginDigests, String type, Map<String, ?> config) {
    this.pluginDigests = new TreeMap<>(pluginDigests);
    this.folders = new ArrayList<>();
    for (Path p : PluginRegistry.normalise(folders)) {
      this.folders.add(p.toString());
    }
    this.type = type;
    this.config = new LinkedHashMap<>(config == null ? Map.of() : config);
  }

  public String type() {
    return type;
  }

  public Map<String, Object> rawConfig() {
    return config;
  }

  public List<Path> folders() {
    return folders.stream().map(Path::of).toList();
  }

  /** The plugin JAR digests the job was submitted with, by plugin id (empty: not checked). */
  public Map<String, String> pluginDigests() {
    return java.util.Collections.unmodifiableMap(pluginDigests);
  }

  /** Loads (once per JVM) and returns the extension with its typed config. */
  public <E extends AbdflowExtension<?>> Resolved<E> resolve(Class<E> kind) {
    PluginRegistry registry = PluginRegistry.shared(folders(), type, pluginDigests);
    registry.checkDigest(type, pluginDigests);
    E ext = registry.extension(type, kind);
    ConfigValues values = ext.configSchema().parse(config);
    Object typed = ext.configure(values);
    return new Resolved<>(ext, typed, values);
  }

  /** An extension and its config. */
  public record Resolved<E>(E extension, Object config, ConfigValues values) {}
}
