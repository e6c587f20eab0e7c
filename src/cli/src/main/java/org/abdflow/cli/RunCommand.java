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
    RunReport report;
    try {
      if (Abdflow.writesTemplate(request)) {
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
