package org.abdflow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code abdflow}: run, validate and inspect backdoor attack/defense pipeline specs. */
@Command(
    name = "abdflow",
    mixinStandardHelpOptions = true,
    version = "abdflow 0.1.0",
    description = "Backdoor attacks on CLIP and the defenses against them, as Apache Beam pipelines.",
    subcommands = {RunCommand.class, ValidateCommand.class, PluginsCommand.class, BenchCommand.class, DataCommand.class, SummarizeCommand.class,
        ClusterCommand.class, CacheCommand.class})
public final class AbdflowCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    // Avro 1.12 deserializes only trusted packages; the engine's records live in org.abdflow.
    System.setProperty("org.apache.avro.SERIALIZABLE_PACKAGES",
        System.getProperty("org.apache.avro.SERIALIZABLE_PACKAGES", "java.lang,java.util,java.math,org.abdflow"));
    System.exit(new CommandLine(new AbdflowCommand()).execute(args));
  }
}
