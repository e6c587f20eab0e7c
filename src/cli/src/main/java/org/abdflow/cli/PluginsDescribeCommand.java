package org.abdflow.cli;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.abdflow.api.config.DidYouMean;
import org.abdflow.engine.plugins.PluginRegistry;
import org.abdflow.engine.spec.SpecException;
import org.abdflow.engine.stages.StageCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code abdflow plugins describe TYPE}: one type's kind, plugin, description, keys and a minimal spec entry. */
@Command(name = "describe",
    description = "Show one type: its kind, plugin (id, version, JAR), description, config keys (type, default, allowed values) and a minimal spec entry.")
final class PluginsDescribeCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "TYPE", description = "a spec's type, e.g. BadNet or Train")
  String type;

  @Mixin PluginOptions options = new PluginOptions();

  @ParentCommand PluginsCommand parent;

  @Override
  public Integer call() {
    PluginRegistry registry;
    try {
      registry = options.registry(parent == null ? null : parent.options);
    } catch (SpecException e) {
      e.errors().forEach(System.err::println);
      return 2;
    }
    List<TypeDocs.Doc> docs = TypeDocs.all(new StageCatalog(registry));
    Optional<TypeDocs.Doc> doc = docs.stream().filter(d -> d.type().equals(type)).findFirst();
    String note = "";
    if (doc.isEmpty()) {
      // a help command can forgive the case; a spec does not
      List<TypeDocs.Doc> sameButCase = docs.stream().filter(d -> d.type().equalsIgnoreCase(type)).toList();
      if (sameButCase.size() == 1) {
        doc = Optional.of(sameButCase.get(0));
        note = "(a spec writes it " + doc.get().type() + ": types are case-sensitive)\n\n";
      }
    }
    if (doc.isEmpty()) {
      List<String> types = docs.stream().map(TypeDocs.Doc::type).toList();
      String suggestion = DidYouMean.suggestion(type, types);
      System.err.println("abdflow plugins describe: unknown type " + type + suggestion + (suggestion.isEmpty() ? "; run" : " Run")
          + " `./abdflow plugins` to list types, or add the folder of the plugin JAR that defines it with --plugins DIR"
          + " (searched: " + registry.folders() + ")");
      registry.problems().forEach(p -> System.err.println("  while loading the plugins: " + p));
      return 2;
    }
    System.out.print(note + TypeDocs.describe(doc.get()));
    return 0;
  }
}
