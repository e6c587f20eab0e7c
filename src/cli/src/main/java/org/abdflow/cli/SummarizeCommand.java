package org.abdflow.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.abdflow.engine.report.ReportWriter;
import org.abdflow.engine.report.RunReport;
import org.abdflow.engine.report.SeedSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code abdflow summarize RUN...}: mean ± sd of CA and ASR per model over runs of one spec under several seeds. */
@Command(name = "summarize", description = "Summarise runs of one spec under several seeds: CA and ASR per model as mean ± sd.")
final class SummarizeCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "RUN", description = "run folders (each with a report.json)")
  List<Path> runs;

  @Option(names = "--out", description = "also write the table to this Markdown file")
  Path out;

  @Option(names = "--html", paramLabel = "FILE",
      description = "also write one self-contained HTML page: the table, the CA/ASR chart of the means, the similarities, the runs")
  Path html;

  @Override
  public Integer call() throws Exception {
    List<RunReport> reports = new ArrayList<>();
    List<String> specIdentities = new ArrayList<>();
    for (Path run : runs) {
      Path json = Files.isDirectory(run) ? run.resolve("report.json") : run;
      if (!Files.isRegularFile(json)) {
        System.err.println("abdflow summarize: " + json + " not found (is " + run + " a finished run folder?)");
        return 2;
      }
      RunReport report = ReportWriter.read(json);
      reports.add(report);
      specIdentities.add(specIdentity(json.getParent(), report));
    }
    String specs = reports.stream().map(RunReport::spec).distinct().toList().toString();
    if (specIdentities.stream().distinct().count() > 1) {
      System.err.println("abdflow summarize: the runs come from different specs " + specs + "; summarising them anyway");
    }
    List<Long> seeds = reports.stream().map(RunReport::seed).toList();
    if (seeds.stream().distinct().count() < seeds.size()) {
      System.err.println("abdflow summarize: the runs' seeds " + seeds + " repeat; a repeated seed reruns the same draw, so the sd"
          + " understates the spread over seeds (runs take other seeds with --seed N)");
    }
    SeedSummary summary = SeedSummary.of(reports);
    String md = summary.markdown();
    System.out.print(md);
    if (out != null) {
      write(out, md);
    }
    if (html != null) {
      write(html, org.abdflow.engine.report.HtmlReport.summary(summary, runs));
      System.out.println("HTML: " + html);
    }
    return 0;
  }

  /**
   * What makes two runs' specs the same: the spec's SHA-256 from the run manifest (a spec named by a
   * relative path in one run and an absolute one in another is one spec), else the path as given.
   */
  private static String specIdentity(Path runFolder, RunReport report) {
    Path manifest = runFolder == null ? null : runFolder.resolve(org.abdflow.engine.report.RunManifest.FILE);
    if (manifest != null && Files.isRegularFile(manifest)) {
      try {
        String sha = new com.fasterxml.jackson.databind.ObjectMapper().readTree(manifest.toFile()).path("spec_sha256").asText("");
        if (!sha.isEmpty()) {
          return "sha256:" + sha;
        }
      } catch (java.io.IOException e) {
        // an unreadable manifest: fall back to the spec path the report names
      }
    }
    return "path:" + report.spec();
  }

  /** Whole or not at all: an earlier file of that name stays until the new one is complete. */
  private static void write(Path file, String text) throws java.io.IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
