package org.abdflow.engine.plugins;

import java.util.List;

/** Plugins that cannot be loaded together: two JARs with one plugin id, two plugins with one type. */
public final class PluginConflictException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final List<String> conflicts;

  PluginConflictException(List<String> conflicts) {
    super(String.join("\n", conflicts));
    this.conflicts = List.copyOf(conflicts);
  }

  /** One line per conflict, each naming the JARs. */
  public List<String> conflicts() {
    return conflicts;
  }
}
