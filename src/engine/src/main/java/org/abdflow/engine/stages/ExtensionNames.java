package org.abdflow.engine.stages;

import java.util.List;
import org.abdflow.api.AbdflowExtension;
import org.abdflow.api.Loss;
import org.abdflow.api.config.ExtensionSpec;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.DidYouMean;
import org.abdflow.engine.spec.Names;
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
        String message = "unknown " + kind.getSimpleName() + " type " + t + " (known: " + String.join(", ", known) + ")";
        if (found.isPresent()) {
          message += "; " + t + " is " + article(found.get().kind()) + ", not " + article(kind.getSimpleName());
        } else {
          String suggestion = DidYouMean.suggestion(t, known);
          message += suggestion + (suggestion.isEmpty() ? "; " : " ") + Names.LIST_TYPES + " lists every type with its plugin";
        }
        throw new ConfigException(key, message);
      }
    }
  }

  private static String article(String noun) {
    return ("AEIOU".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
  }

  /** Checks each term's type and its nested config against the term's own schema. */
  static void checkLosses(PluginRegistry registry, List<ExtensionSpec> terms) {
    check(registry, "losses", terms.stream().map(ExtensionSpec::type).toList(), Loss.class);
    for (int i = 0; i < terms.size(); i++) {
      ExtensionSpec term = terms.get(i);
      AbdflowExtension<?> ext = registry.find(term.type()).orElseThrow().extension();
      String where = "losses[" + i + "] (" + term.type() + ")";
      try {
        ext.configure(ext.configSchema().parse(term.config()));
      } catch (ConfigException e) {
        throw new ConfigException(where + "." + e.key(), e.detail());
      }
    }
  }
}
