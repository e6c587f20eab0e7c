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
    System.exit(commandLine().execute(args));
  }

  /** The command line with abdflow's handling of bad arguments: an unknown command gets a "did you mean". */
  static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new AbdflowCommand());
    CommandLine.IParameterExceptionHandler picocliDefault = cl.getParameterExceptionHandler();
    cl.setParameterExceptionHandler((ex, args) -> {
      Integer handled = unknownCommand(ex);
      return handled != null ? handled : picocliDefault.handleParseException(ex, args);
    });
    return cl;
  }

  /**
   * {@code abdflow rnu ...} or {@code abdflow plugins descibe ...}: names the closest command and
   * where the list is; null for every other parse error (picocli's own message and suggestions).
   */
  private static Integer unknownCommand(CommandLine.ParameterException ex) {
    CommandLine cmd = ex.getCommandLine();
    if (!(ex instanceof CommandLine.UnmatchedArgumentException u) || cmd.getSubcommands().isEmpty() || u.getUnmatched().isEmpty()) {
      return null;
    }
    String given = u.getUnmatched().get(0);
    if (given.startsWith("-") || !cmd.getCommandSpec().positionalParameters().isEmpty()) {
      return null;
    }
    java.util.Set<String> names = new java.util.TreeSet<>(cmd.getSubcommands().keySet());
    String name = cmd.getCommandSpec().qualifiedName();
    String suggestion = org.abdflow.api.config.DidYouMean.suggestion(given, names);
    cmd.getErr().println(name + ": unknown command " + given + " (commands: " + String.join(", ", names) + ")" + suggestion
        + (suggestion.isEmpty() ? "; " : " ") + "`./" + name + " --help` says what each does");
    return cmd.getCommandSpec().exitCodeOnInvalidInput();
  }
}
