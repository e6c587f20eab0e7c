package org.abdflow.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.plugins.PluginRegistry;
import org.abdflow.engine.spec.PipelineSpec;
import org.abdflow.engine.spec.SpecException;
import org.abdflow.engine.spec.SpecLoader;
import picocli.CommandLine.Option;

/** Where {@code abdflow plugins} and its subcommands look for plugins: the default folder, {@code --plugins}, a spec's {@code plugins:}. */
final class PluginOptions {
  @Option(names = "--plugins", paramLabel = "DIR", description = "extra plugin folder (repeatable)")
  List<Path> plugins = new ArrayList<>();

  @Option(names = "--spec", paramLabel = "SPEC", description = "also load the plugin folders of this spec's plugins: list")
  Path spec;

  /** The registry of the default folder, these options' folders and {@code more}'s. */
  PluginRegistry registry(PluginOptions more) throws SpecException {
    List<Path> folders = new ArrayList<>(plugins);
    Path specFile = spec;
    if (more != null) {
      folders.addAll(more.plugins);
      specFile = specFile != null ? specFile : more.spec;
    }
    PipelineSpec loaded = specFile == null ? null : SpecLoader.load(specFile);
    return Abdflow.registry(loaded, folders);
  }
}
