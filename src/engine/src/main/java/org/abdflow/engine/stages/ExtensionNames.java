package org.abdflow.engine.stages;

import java.util.List;
import org.abdflow.api.Loss;
import org.abdflow.api.config.ConfigException;
import org.abdflow.engine.plugins.PluginRegistry;

/** Checks that names in a config refer to extensions of the right kind. */
final class ExtensionNames {
  private ExtensionNames() {}

  static void check(PluginRegistry registry, String key, List<String> types, Class<?> kind) {
    for (String t : types) {
      var found = registry.find(t);
      if (found.isEmpty() || !kind.isInstance(found.get().extension())) {
        List<String> known =
            registry.extensions().values().stream().filter(e -> kind.isInstance(e.extension())).map(e -> e.extension().type()).toList();
        throw new ConfigException(key, "unknown " + kind.getSimpleName() + " type " + t + " (known: " + String.join(", ", known) + ")");
      }
    }
  }

  static void checkLosses(PluginRegistry registry, List<String> types) {
    check(registry, "losses", types, Loss.class);
  }
}
