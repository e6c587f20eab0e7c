package org.abdflow.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.RunRequest;
import org.abdflow.engine.report.RunReport;
import org.abdflow.engine.spec.SpecException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Unmatched;

/** {@code abdflow run SPEC}: runs a spec and writes its report. */
@Command(name = "run", description = "Run a pipeline spec; writes OUTPUT/report.json and OUTPUT/report.md.")
final class RunCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SPEC", description = "the YAML spec")
  Path spec;

  // Embedded Flink by default: Beam's DirectRunner keeps one core busy polling its watermarks while
  // a long training bundle runs, which made training ~3.5x slower on 2 cores (README, "Runners").
  @Option(names = "--runner", defaultValue = "flink",
      description = "flink (default: embedded Flink, or a cluster with --flinkMaster=host:port), direct (Beam's DirectRunner)"
          + " or dataflow (Google Cloud Dataflow; --templateLocation=FILE writes the job and runs nothing)")
  String runner;

  @Option(names = "--output", description = "output folder (default: runs/<spec name>)")
  Path output;

  @Option(names = "--param", paramLabel = "NAME=VALUE", description = "a value for one of the spec's params (repeatable)")
  java.util.Map<String, String> params = new java.util.LinkedHashMap<>();

  @Option(names = "--plugins", paramLabel = "DIR", description = "extra plugin folder (repeatable)")
  List<Path> plugins = new ArrayList<>();

  @Option(names = "--seed", description = "run seed in place of the spec's pipeline.seed")
  Long seed;

  @Option(names = "--progress", defaultValue = "auto", paramLabel = "MODE",
      description = "auto (default: bars on a terminal, plain lines otherwise), bars, lines or off")
  String progress;

  @Option(names = "--progress-interval", defaultValue = "30", paramLabel = "SECONDS",
      description = "seconds between progress lines when not on a terminal (default 30)")
  int progressInterval;

  @Unmatched
  List<String> beamArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    Path out = output != null ? output : Path.of("runs", spec.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
    RunRequest request =
        RunRequest.builder().setSpec(spec).setOutput(out).setRunner(runner).setBeamArgs(beamArgs).setPluginDirs(plugins)
            .setSeed(seed == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(seed)).setParams(params).build();
    boolean template;
    try {
      template = Abdflow.writesTemplate(request); // reads --runner and the Beam options: the first thing that can be wrong
    } catch (IllegalArgumentException e) {
      String message = sentence(e.getMessage()) + ownOptionHint(beamArgs);
      System.err.println("abdflow run: " + message
          + " `./abdflow run --help` lists abdflow's options; the others go to the runner as Beam options, written --name=value.");
      return 2;
    }
    RunReport report;
    try {
      if (template) {
        System.out.println("job template written to " + Abdflow.writeTemplate(request) + "; nothing was submitted");
        return 0;
      }
      try (ProgressDisplay display = ProgressDisplay.start(progress, Math.max(1, progressInterval))) {
        report = Abdflow.run(request);
      }
    } catch (SpecException e) {
      System.err.println(e.getMessage());
      return 2;
    }
    System.out.println(table(report));
    System.out.printf(Locale.ROOT, "%nwall time %.1f s; peak RSS %s MiB; report: %s%n", report.wallSeconds(), BenchCommand.peakRssMiB(),
        out.resolve("report.json"));
    return 0;
  }

  /** abdflow's own options of {@code run}, which a misspelling would otherwise hand to Beam. */
  private static final java.util.List<String> OWN_OPTIONS = java.util.List.of("runner", "output", "param", "plugins", "seed");

  /** " Did you mean --seed (for --seeed=3)?" for an argument Beam was given that is one of abdflow's own options misspelt. */
  static String ownOptionHint(List<String> beamArgs) {
    for (String a : beamArgs) {
      if (a.startsWith("--")) {
        String name = a.substring(2).split("=", 2)[0];
        java.util.Optional<String> own = org.abdflow.api.config.DidYouMean.closest(name, OWN_OPTIONS);
        if (own.isPresent()) {
          return " Did you mean --" + own.get() + " (for " + a + ")?";
        }
      }
    }
    return "";
  }

  /** A message ending as a sentence, so that more can follow it. */
  private static String sentence(String message) {
    String m = message == null ? "" : message.strip();
    return m.endsWith(".") || m.endsWith("?") ? m : m + ".";
  }

  static String table(RunReport report) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-12s %-10s %-10s %8s %8s %8s%n", "model", "defense", "attack", "CA", "top-5", "ASR"));
    for (RunReport.Result r : report.results()) {
      sb.append(String.format(Locale.ROOT, "%-12s %-10s %-10s %8s %8s %8s%n", r.model(), r.defense(), r.attack(),
          fmt(r.cleanAccuracy()), fmt(r.cleanTop5()), fmt(r.attackSuccessRate())));
    }
    return sb.toString();
  }

  private static String fmt(Double d) {
    return d == null ? "-" : String.format(Locale.ROOT, "%.3f", d);
  }
}
