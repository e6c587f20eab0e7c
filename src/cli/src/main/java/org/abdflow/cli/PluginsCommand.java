package org.abdflow.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.abdflow.api.AbdflowExtension;
import org.abdflow.api.config.ConfigKey;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.plugins.PluginRegistry;
import org.abdflow.engine.stages.StageCatalog;
import org.abdflow.engine.stages.StageType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code abdflow plugins}: every type with its config keys, types and defaults. */
@Command(name = "plugins", description = "List the transform types and plugin extensions, with their config keys, types and defaults.")
final class PluginsCommand implements Callable<Integer> {

  @Option(names = "--plugins", paramLabel = "DIR", description = "extra plugin folder (repeatable)")
  List<Path> plugins = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    PluginRegistry registry = Abdflow.registry(null, plugins);
    StageCatalog catalog = new StageCatalog(registry);
    System.out.println("Plugin folders: " + registry.folders());
    System.out.println();
    System.out.println("Transform types (a spec's `type`):");
    for (Map.Entry<String, StageType> e : catalog.stages().entrySet()) {
      String origin = registry.find(e.getKey()).map(l -> l.kind() + ", plugin " + l.pluginId()).orElse("engine stage");
      print(e.getKey(), origin, e.getValue().description(), e.getValue().schema());
    }
    System.out.println("Extensions named inside stage configs:");
    for (PluginRegistry.LoadedExtension l : registry.extensions().values()) {
      if (catalog.stages().containsKey(l.extension().type())) {
        continue;
      }
      AbdflowExtension<?> x = l.extension();
      print(x.type(), l.kind() + ", plugin " + l.pluginId(), x.description(), x.configSchema());
    }
    return 0;
  }

  private static void print(String type, String origin, String description, ConfigSchema schema) {
    System.out.printf("%n  %s  (%s)%n    %s%n", type, origin, description);
    for (ConfigKey k : schema.keys()) {
      String dflt = k.required() ? "required" : k.defaultValue() == null ? "optional" : "default " + k.defaultValue();
      System.out.printf("    %-14s %-32s %-22s %s%n", k.name(), k.typeLabel(), dflt, k.description());
    }
  }
}
