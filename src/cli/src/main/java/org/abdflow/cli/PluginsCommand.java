package org.abdflow.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import org.abdflow.api.AbdflowExtension;
import org.abdflow.api.config.ConfigKey;
import org.abdflow.api.config.ConfigSchema;
import org.abdflow.engine.plugins.PluginRegistry;
import org.abdflow.engine.spec.SpecException;
import org.abdflow.engine.stages.StageCatalog;
import org.abdflow.engine.stages.StageType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code abdflow plugins}: every type with its config keys, types and defaults; {@code describe} and {@code reference} below it. */
@Command(name = "plugins",
    description = "List the transform types and plugin extensions, with their config keys, types and defaults.",
    subcommands = {PluginsDescribeCommand.class, PluginsReferenceCommand.class})
final class PluginsCommand implements Callable<Integer> {

  @Mixin PluginOptions options = new PluginOptions();

  @Override
  public Integer call() throws Exception {
    PluginRegistry registry;
    try {
      registry = options.registry(null);
    } catch (SpecException e) {
      e.errors().forEach(System.err::println);
      return 2;
    }
    StageCatalog catalog = new StageCatalog(registry);
    System.out.println("Plugin folders: " + registry.folders());
    for (String problem : registry.problems()) {
      System.out.println("  warning: " + problem);
    }
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
    System.out.println();
    System.out.println("`./abdflow plugins describe TYPE` shows one type with its allowed values and an example;"
        + " `./abdflow plugins reference` writes them all as Markdown.");
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
