package org.abdflow.engine.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code report.json}, {@code report.md} and {@code report.html} (the same report as one
 * self-contained page, {@link HtmlReport}); each file appears whole or not at all.
 */
public final class ReportWriter {
  /** snake_case keys, as the report contract names them. */
  public static final ObjectMapper JSON =
      new ObjectMapper()
          .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private ReportWriter() {}

  /** The grouped bar chart of CA and ASR per model, next to the report. */
  public static final String CHART_FILE = "ca-asr.png";

  public static void write(RunReport report, Path folder) throws IOException {
    writeAtomically(folder.resolve("report.json"), JSON.writeValueAsString(report) + "\n");
    List<TableOne.Column> bars = chartColumns(report);
    if (!bars.isEmpty()) {
      ReportCharts.caAsrBars(bars, chartTitle(report), folder.resolve(CHART_FILE));
    }
    if (report.patches() != null) {
      for (Map.Entry<String, String> p : report.patches().entrySet()) {
        ReportCharts.upscale(folder.resolve(p.getValue()), folder.resolve(patchFile(p.getKey())), 96);
      }
    }
    writeAtomically(folder.resolve("report.md"), markdown(report));
    writeAtomically(folder.resolve(HtmlReport.FILE), HtmlReport.html(report, folder));
  }

  /** The bars of the CA/ASR chart: the mean over seeds when the run has several, else the Table I view. */
  static List<TableOne.Column> chartColumns(RunReport report) {
    if (report.seedSummary() != null) {
      return meanColumns(report.seedSummary());
    }
    return TableOne.columns(report.results(), stageOrder(report));
  }

  /** One chart column per row over seeds, at the means. */
  static List<TableOne.Column> meanColumns(List<RunReport.SeedRow> rows) {
    return rows.stream().map(r -> new TableOne.Column(r.model(), r.defense(), r.attack(),
        r.cleanAccuracyMean(), Double.isNaN(r.attackSuccessRateMean()) ? null : r.attackSuccessRateMean())).toList();
  }

  static String chartTitle(RunReport report) {
    return report.seedSummary() != null
        ? "Zero-shot CA and ASR per model, mean over seeds " + report.seeds() + " (" + report.spec() + ")"
        : "Zero-shot CA and ASR per model (" + report.spec() + ", seed " + report.seed() + ")";
  }

  static String patchFile(String stage) {
    return "patch-" + stage + ".png";
  }

  static List<String> stageOrder(RunReport r) {
    return r.stages().stream().map(RunReport.Stage::name).toList();
  }

  public static RunReport read(Path reportJson) throws IOException {
    return JSON.readValue(reportJson.toFile(), RunReport.class);
  }

  /** A page a person reads: the CA/ASR table, then where the time went. */
  public static String markdown(RunReport r) {
    StringBuilder md = new StringBuilder();
    md.append("# abdflow run: ").append(r.spec()).append("\n\n");
    md.append(String.format(Locale.ROOT, "Runner %s, %s, wall time %.1f s, dead letters %d.%n%n", r.runner(),
        r.seeds() == null ? "seed " + r.seed() : "seeds " + r.seeds() + " (each stage once per seed, as name.seedN)", r.wallSeconds(), r.deadLetters()));
    if (r.seedSummary() != null) {
      md.append("## Over seeds ").append(r.seeds()).append(": CA / ASR in %, mean ± sd and the 95 % t interval over seeds\n\n");
      md.append(SeedSummary.table(r.seedSummary()));
      md.append("\n![CA and ASR per model, mean over seeds](").append(CHART_FILE).append(")\n\n");
    }
    md.append("## Zero-shot results\n\n");
    md.append("| model | defense | attack | CA (top-1) | CA 95 % CI | top-5 | ASR | ASR 95 % CI | ASR (all images) | clean images |\n");
    md.append("|---|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (RunReport.Result x : r.results()) {
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |%n",
          x.model(), x.defense(), x.attack(), pct(x.cleanAccuracy()), Intervals.percent(x.cleanAccuracyCi()), pct(x.cleanTop5()),
          pct(x.attackSuccessRate()), Intervals.percent(x.attackSuccessRateCi()), pct(x.attackSuccessRateAll()), x.evalImages()));
    }
    md.append("\nCA: top-1 zero-shot accuracy on clean test images. ASR: share of triggered test images of ")
        .append("other classes than the target that the model assigns to the target. ")
        .append("CI: 95 % percentile bootstrap over the test images (exact: Binomial(n, rate) / n).\n\n");
    List<TableOne.Column> columns = TableOne.columns(r.results(), stageOrder(r));
    if (!columns.isEmpty()) {
      md.append("## Table I view (CA / ASR in %)\n\n").append(TableOne.markdown(columns));
      if (r.seedSummary() == null) {
        md.append("![CA and ASR per model](").append(CHART_FILE).append(")\n\n");
      }
    }
    if (r.patches() != null) {
      md.append("## Learned patches\n\n");
      r.patches().forEach((stage, png) -> md.append("- ").append(stage).append(": ![patch of ").append(stage).append("](")
          .append(patchFile(stage)).append(") (actual size: ").append(png).append(")\n"));
      md.append('\n');
    }
    if (r.galleries() != null) {
      md.append("## Triggers at test time\n\nThe first test images by id, clean (top) and triggered (bottom).\n\n");
      r.galleries().forEach((key, png) -> md.append("- ").append(key).append(": ![").append(key).append("](").append(png).append(")\n"));
      md.append('\n');
    }
    if (r.similarities() != null) {
      md.append("## Image–text similarities (Figure 2 view)\n\n");
      md.append("Mean 100 × cosine in the model, over test images of classes other than the target.\n\n");
      md.append("| stage | model | images | pair | similarity |\n|---|---|---:|---|---:|\n");
      for (RunReport.Similarity s : r.similarities()) {
        s.values().forEach((pair, v) -> md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %.2f |%n", s.stage(), s.model(), s.images(),
            pair.replace("_vs_", " vs ").replace('_', ' ').replace("target caption", "\"" + s.targetCaption() + "\""), v)));
      }
      md.append('\n');
    }
    md.append("## Stages\n\nSeconds of work are summed over workers; the span runs from the stage's first piece of work to the end of its last.\n\n"
        + "| stage | type | seconds of work | span (s) | records in | records out | dead letters |\n|---|---|---:|---:|---:|---:|---:|\n");
    for (RunReport.Stage s : r.stages()) {
      String span = s.spanSeconds().isPresent() ? String.format(Locale.ROOT, "%.1f", s.spanSeconds().getAsDouble()) : "-";
      md.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %s | %d | %d | %d |%n", s.name(),
          s.type() + (Boolean.TRUE.equals(s.reused()) ? " (reused)" : ""), s.seconds(), span, s.recordsIn(),
          s.recordsOut(), s.deadLetters()));
    }
    if (r.training() != null && !r.training().isEmpty()) {
      md.append("\n## Training\n\n| stage | records | poisoned | epochs | steps | seconds | loss, first → last epoch |\n|---|---:|---:|---:|---:|---:|---|\n");
      r.training().forEach((name, t) -> md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %.1f | %s |%n",
          name, t.records(), t.poisoned(), t.epochs(), t.steps(), t.seconds(), curve(t))));
    }
    return md.toString();
  }

  static String curve(RunReport.Training t) {
    if (t.lossPerEpoch() == null || t.lossPerEpoch().isEmpty()) {
      return "";
    }
    return String.format(Locale.ROOT, "%.3f → %.3f", t.lossPerEpoch().get(0), t.lossPerEpoch().get(t.lossPerEpoch().size() - 1));
  }

  static String pct(Double v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%.1f %%", 100 * v);
  }

  static void writeAtomically(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
