package org.abdflow.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.abdflow.engine.plugins.PluginRegistry;
import org.abdflow.engine.spec.SpecException;
import org.abdflow.engine.stages.StageCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code abdflow plugins reference [--output FILE]}: every type as Markdown, from the config schemas. */
@Command(name = "reference",
    description = "Write the spec reference (every type: kind, description, key table, a minimal YAML entry) as Markdown;"
        + " the repository keeps it as pipelines/spec-reference.md.")
final class PluginsReferenceCommand implements Callable<Integer> {

  @Option(names = "--output", paramLabel = "FILE", description = "write it to FILE (default: print it)")
  Path output;

  @Mixin PluginOptions options = new PluginOptions();

  @ParentCommand PluginsCommand parent;

  @Override
  public Integer call() throws Exception {
    PluginRegistry registry;
    try {
      registry = options.registry(parent == null ? null : parent.options);
    } catch (SpecException e) {
      e.errors().forEach(System.err::println);
      return 2;
    }
    String markdown = TypeDocs.reference(TypeDocs.all(new StageCatalog(registry)));
    if (output == null) {
      System.out.print(markdown);
    } else {
      Path parentDir = output.toAbsolutePath().getParent();
      if (parentDir != null) {
        Files.createDirectories(parentDir);
      }
      Files.writeString(output, markdown, StandardCharsets.UTF_8);
      System.err.println("wrote " + output);
    }
    return 0;
  }
}
