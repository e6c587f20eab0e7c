package org.abdflow.engine.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.Dimension;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.apache.commons.text.StringEscapeUtils;

/**
 * {@code report.html}: the run's report as one self-contained page, for a browser and for a
 * reviewer without the run folder. Every number comes from the {@link RunReport} that {@code
 * report.json} and {@code report.md} are written from; charts are inline SVG (the same JFreeChart
 * charts as the PNGs), images are {@code data:} URIs, and the page loads nothing from anywhere.
 * Each section has a stable id: {@code results}, {@code charts}, {@code triggers}, {@code
 * similarities}, {@code stages}, {@code manifest}. All text from specs and data is escaped.
 */
public final class HtmlReport {
  public static final String FILE = "report.html";

  /** The sections, in page order: id and heading. */
  static final Map<String, String> SECTIONS = sections();

  private static final String CSS = String.join("\n",
      "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;color:#1f2328;background:#fff;"
          + "max-width:1200px;margin:0 auto;padding:12px 28px 40px}",
      "h1{font-size:22px;margin:12px 0 4px}",
      "h2{font-size:18px;margin:34px 0 10px;padding-bottom:4px;border-bottom:2px solid #3b75af}",
      "h3{font-size:15px;margin:18px 0 6px}",
      "nav{margin:8px 0 4px}nav a{margin-right:14px;color:#3b75af;text-decoration:none}",
      ".meta,.note,figcaption{color:#57606a}.note{margin:4px 0 10px}",
      "table{border-collapse:collapse;margin:6px 0 14px;font-size:13px}",
      "th,td{border:1px solid #d0d7de;padding:3px 9px;text-align:left;vertical-align:top}",
      "th{background:#f1f4f8;font-weight:600}tbody tr:nth-child(even){background:#f8fafc}",
      "td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}",
      "code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}",
      "figure{display:inline-block;vertical-align:top;margin:6px 22px 18px 0}figcaption{font-size:12px;margin-top:4px}",
      "figure svg{max-width:100%;height:auto;border:1px solid #eaeef2}",
      "img.pixelated{image-rendering:pixelated;border:1px solid #d0d7de}",
      "img.gallery{max-width:100%;border:1px solid #d0d7de}");

  private HtmlReport() {}

  private static Map<String, String> sections() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("results", "Results");
    s.put("charts", "Charts");
    s.put("triggers", "Triggers and learned patches");
    s.put("similarities", "Image–text similarities");
    s.put("stages", "Stages");
    s.put("manifest", "Run manifest");
    return s;
  }

  /** The page of {@code r}; images and {@code manifest.json} are read from the run folder {@code folder}. */
  public static String html(RunReport r, Path folder) throws IOException {
    StringBuilder h = new StringBuilder(64 * 1024);
    head(h, "abdflow run: " + r.spec());
    h.append("<header>\n<h1>abdflow run: ").append(esc(r.spec())).append("</h1>\n<p class=\"meta\">")
        .append(esc(String.format(Locale.ROOT, "Runner %s, %s, wall time %.1f s, dead letters %d.", r.runner(),
            r.seeds() == null ? "seed " + r.seed() : "seeds " + r.seeds() + " (each stage once per seed, as name.seedN)", r.wallSeconds(),
            r.deadLetters())))
        .append("</p>\n<nav>");
    SECTIONS.forEach((id, title) -> h.append("<a href=\"#").append(id).append("\">").append(esc(title)).append("</a>"));
    h.append("</nav>\n</header>\n");
    results(h, r);
    charts(h, r);
    triggers(h, r, folder);
    similarities(h, r);
    stages(h, r);
    manifest(h, folder.resolve(RunManifest.FILE));
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  /** The document up to {@code <body>}: the title and the inline style sheet. */
  private static void head(StringBuilder h, String title) {
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .append("<title>").append(esc(title)).append("</title>\n<style>\n").append(CSS).append("\n</style>\n</head>\n<body>\n");
  }

  private static void open(StringBuilder h, String id) {
    h.append("\n<section id=\"").append(id).append("\">\n<h2>").append(esc(SECTIONS.get(id))).append("</h2>\n");
  }

  private static void results(StringBuilder h, RunReport r) {
    open(h, "results");
    if (r.seedSummary() != null) {
      h.append("<h3>Over seeds ").append(esc(String.valueOf(r.seeds()))).append(": CA / ASR in %, mean ± sd, 95 % t interval over seeds</h3>\n");
      seedTable(h, r.seedSummary());
    }
    h.append("<h3>Zero-shot results</h3>\n");
    h.append("<table id=\"zero-shot\">\n<thead><tr><th>model</th><th>defense</th><th>attack</th><th class=\"num\">CA (top-1)</th>"
        + "<th class=\"num\">CA 95 % CI</th><th class=\"num\">top-5</th><th class=\"num\">ASR</th><th class=\"num\">ASR 95 % CI</th>"
        + "<th class=\"num\">ASR (all images)</th><th class=\"num\">clean images</th></tr></thead>\n<tbody>\n");
    for (RunReport.Result x : r.results()) {
      h.append("<tr>").append(td(x.model())).append(td(x.defense())).append(td(x.attack())).append(num(ReportWriter.pct(x.cleanAccuracy())))
          .append(num(Intervals.percent(x.cleanAccuracyCi()))).append(num(ReportWriter.pct(x.cleanTop5())))
          .append(num(ReportWriter.pct(x.attackSuccessRate()))).append(num(Intervals.percent(x.attackSuccessRateCi())))
          .append(num(ReportWriter.pct(x.attackSuccessRateAll()))).append(num(String.valueOf(x.evalImages()))).append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n<p class=\"note\">CA: top-1 zero-shot accuracy on clean test images. ASR: share of triggered test images "
        + "of other classes than the target that the model assigns to the target. CI: 95 % percentile bootstrap over the test images.</p>\n");
    List<TableOne.Column> columns = TableOne.columns(r.results(), ReportWriter.stageOrder(r));
    if (!columns.isEmpty()) {
      h.append("<h3>Table I view (CA / ASR in %)</h3>\n");
      Map<String, List<TableOne.Column>> byAttack = new LinkedHashMap<>();
      columns.forEach(c -> byAttack.computeIfAbsent(c.attack(), k -> new ArrayList<>()).add(c));
      byAttack.forEach((attack, cs) -> {
        h.append("<table class=\"table-one\">\n<thead><tr><th>attack</th><th>metric</th>");
        cs.forEach(c -> h.append("<th class=\"num\">").append(esc(c.model()))
            .append(c.defense().equals("none") || c.defense().equals(c.model()) ? "" : esc(" (" + c.defense() + ")")).append("</th>"));
        h.append("</tr></thead>\n<tbody>\n<tr>").append(td(attack)).append(td("CA"));
        cs.forEach(c -> h.append(num(oneDecimal(c.cleanAccuracy()))));
        h.append("</tr>\n<tr>").append(td(attack)).append(td("ASR"));
        cs.forEach(c -> h.append(num(oneDecimal(c.attackSuccessRate()))));
        h.append("</tr>\n</tbody>\n</table>\n");
      });
    }
    h.append("</section>\n");
  }

  private static void seedTable(StringBuilder h, List<RunReport.SeedRow> rows) {
    h.append("<table id=\"seed-summary\">\n<thead><tr><th>attack</th><th>model</th><th>defense</th><th class=\"num\">CA (%) mean ± sd</th>"
        + "<th class=\"num\">CA 95 % CI</th><th class=\"num\">ASR (%) mean ± sd</th><th class=\"num\">ASR 95 % CI</th>"
        + "<th>CA per seed</th><th>ASR per seed</th></tr></thead>\n<tbody>\n");
    for (RunReport.SeedRow s : rows) {
      h.append("<tr>").append(td(s.attack())).append(td(s.model())).append(td(s.defense()))
          .append(num(String.format(Locale.ROOT, "%.1f ± %.1f", 100 * s.cleanAccuracyMean(), 100 * s.cleanAccuracySd())))
          .append(num(Intervals.percent(s.cleanAccuracyCi())))
          .append(num(String.format(Locale.ROOT, "%.1f ± %.1f", 100 * s.attackSuccessRateMean(), 100 * s.attackSuccessRateSd())))
          .append(num(Intervals.percent(s.attackSuccessRateCi())))
          .append(td(SeedSummary.pcts(s.cleanAccuracy()))).append(td(SeedSummary.pcts(s.attackSuccessRate()))).append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n");
  }

  /**
   * One self-contained page for separate runs of a spec under several seeds ({@code abdflow
   * summarize --html}): the mean ± sd table with each seed's values, the CA/ASR chart of the means,
   * the Figure 2 similarities over seeds and each run's folder and wall time.
   */
  public static String summary(SeedSummary summary, List<Path> runFolders) {
    List<RunReport> runs = summary.runs();
    List<Long> seeds = runs.stream().map(RunReport::seed).toList();
    String spec = runs.get(0).spec();
    StringBuilder h = new StringBuilder(32 * 1024);
    head(h, "abdflow summary: " + spec);
    h.append("<header>\n<h1>abdflow summary: ").append(esc(spec)).append("</h1>\n<p class=\"meta\">")
        .append(esc(runs.size() + " runs, seeds " + seeds + "; CA / ASR in %, mean ± sample sd, 95 % t interval over seeds.")).append("</p>\n</header>\n");
    h.append("\n<section id=\"results\">\n<h2>Results over seeds</h2>\n");
    List<RunReport.SeedRow> rows = summary.seedRows();
    seedTable(h, rows);
    List<TableOne.Column> bars = ReportWriter.meanColumns(rows);
    if (!bars.isEmpty()) {
      Dimension size = ReportCharts.caAsrSize(bars);
      figure(h, "chart-ca-asr", ReportCharts.svg(ReportCharts.caAsrChart(bars, "Zero-shot CA and ASR per model, mean over seeds " + seeds
          + " (" + spec + ")"), size.width, size.height, "svg-ca-asr"), "CA and ASR (in %) per model, mean over the runs' seeds.");
    }
    h.append("</section>\n");
    if (!summary.similarities().isEmpty()) {
      h.append("\n<section id=\"similarities\">\n<h2>Image–text similarities</h2>\n<table id=\"similarity-summary\">\n<thead><tr>"
          + "<th>stage</th><th>model</th><th>pair</th><th class=\"num\">100 × cos, mean ± sd</th><th>per seed</th></tr></thead>\n<tbody>\n");
      for (SeedSummary.SimilarityRow s : summary.similarities()) {
        h.append("<tr>").append(td(s.stage())).append(td(s.model())).append(td(s.pair().replace('_', ' ')))
            .append(num(String.format(Locale.ROOT, "%.2f ± %.2f", SeedSummary.mean(s.values()), SeedSummary.sd(s.values()))))
            .append(td(s.values().stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList().toString())).append("</tr>\n");
      }
      h.append("</tbody>\n</table>\n</section>\n");
    }
    h.append("\n<section id=\"runs\">\n<h2>Runs</h2>\n<table id=\"runs\">\n<thead><tr><th>seed</th><th>run</th><th>runner</th>"
        + "<th class=\"num\">wall time (s)</th><th class=\"num\">dead letters</th></tr></thead>\n<tbody>\n");
    for (int i = 0; i < runs.size(); i++) {
      RunReport r = runs.get(i);
      h.append("<tr>").append(num(String.valueOf(r.seed()))).append(td(i < runFolders.size() ? runFolders.get(i).toString() : ""))
          .append(td(r.runner())).append(num(String.format(Locale.ROOT, "%.1f", r.wallSeconds())))
          .append(num(String.valueOf(r.deadLetters()))).append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n<p class=\"note\">Each run's own report.html has its per-image intervals, charts, triggers and manifest.</p>\n</section>\n");
    h.append("</body>\n</html>\n");
    return h.toString();
  }

  private static void charts(StringBuilder h, RunReport r) {
    open(h, "charts");
    List<TableOne.Column> bars = ReportWriter.chartColumns(r);
    if (bars.isEmpty()) {
      h.append("<p class=\"note\">No CA/ASR chart: this run has no evaluation results.</p>\n");
    } else {
      Dimension size = ReportCharts.caAsrSize(bars);
      figure(h, "chart-ca-asr", ReportCharts.svg(ReportCharts.caAsrChart(bars, ReportWriter.chartTitle(r)), size.width, size.height,
          "svg-ca-asr"), "CA and ASR (in %) per model" + (r.seedSummary() != null ? ", mean over seeds" : "") + ".");
    }
    if (r.training() == null || r.training().isEmpty()) {
      h.append("<p class=\"note\">No training curves: no stage of this run wrote a training.json.</p>\n");
    } else {
      figure(h, "chart-loss", ReportCharts.svg(ReportCharts.lossCurves(r.training(), "Training loss per epoch (" + r.spec() + ")"), 760,
          440, "svg-loss"), "Mean training loss of each epoch, one line per Train stage.");
    }
    Map<String, TreeMap<Double, Double>> grid = poisonRateGrid(r);
    Set<Double> rates = new TreeSet<>();
    grid.values().forEach(p -> rates.addAll(p.keySet()));
    if (rates.size() >= 2) {
      figure(h, "chart-asr-rate", ReportCharts.svg(ReportCharts.asrVsPoisonRate(grid, "ASR vs poison rate (" + r.spec() + ")"), 760, 440,
          "svg-asr-rate"), "ASR of the models that descend from each poisoning, by its rate; a line per attack and defense"
              + (r.seeds() == null ? "" : ", mean over seeds") + ".");
    } else {
      h.append("<p class=\"note\" id=\"no-poison-rate-grid\">No ASR vs poison rate chart: this run is not a grid over poison rates (")
          .append(rates.isEmpty() ? "no evaluated model descends from a poisoning at a known rate"
              : "its poisoning uses one rate, " + esc(String.format(Locale.ROOT, "%.1f %%", 100 * rates.iterator().next())))
          .append(").</p>\n");
    }
    if (r.training() != null && !r.training().isEmpty()) {
      h.append("<h3>Training</h3>\n<table id=\"training\">\n<thead><tr><th>stage</th><th class=\"num\">records</th><th class=\"num\">poisoned</th>"
          + "<th class=\"num\">epochs</th><th class=\"num\">steps</th><th class=\"num\">seconds</th><th>loss, first → last epoch</th></tr></thead>\n"
          + "<tbody>\n");
      r.training().forEach((name, t) -> h.append("<tr>").append(td(name)).append(num(String.valueOf(t.records())))
          .append(num(String.valueOf(t.poisoned()))).append(num(String.valueOf(t.epochs()))).append(num(String.valueOf(t.steps())))
          .append(num(String.format(Locale.ROOT, "%.1f", t.seconds()))).append(td(ReportWriter.curve(t))).append("</tr>\n"));
      h.append("</tbody>\n</table>\n");
    }
    h.append("</section>\n");
  }

  /**
   * Per attack and defense, the mean ASR at each poison rate, over the results whose model
   * descends from the poisoning ({@link RunReport.Result#poisonRate}); models in stage order.
   */
  static Map<String, TreeMap<Double, Double>> poisonRateGrid(RunReport r) {
    List<String> order = ReportWriter.stageOrder(r);
    List<RunReport.Result> points = r.results().stream().filter(x -> x.poisonRate() != null && x.attackSuccessRate() != null)
        .sorted(Comparator.comparingInt(x -> order.indexOf(x.model()) < 0 ? Integer.MAX_VALUE : order.indexOf(x.model()))).toList();
    boolean severalAttacks = points.stream().map(RunReport.Result::attack).distinct().count() > 1;
    Map<String, TreeMap<Double, double[]>> sums = new LinkedHashMap<>();
    for (RunReport.Result x : points) {
      String defense = x.defense().equals("none") ? "no defense" : x.defense();
      double[] s = sums.computeIfAbsent(severalAttacks ? x.attack() + " / " + defense : defense, k -> new TreeMap<>())
          .computeIfAbsent(x.poisonRate(), k -> new double[2]);
      s[0] += x.attackSuccessRate();
      s[1]++;
    }
    Map<String, TreeMap<Double, Double>> out = new LinkedHashMap<>();
    sums.forEach((k, v) -> {
      TreeMap<Double, Double> m = new TreeMap<>();
      v.forEach((rate, s) -> m.put(rate, s[0] / s[1]));
      out.put(k, m);
    });
    return out;
  }

  private static void figure(StringBuilder h, String id, String svg, String caption) {
    h.append("<figure id=\"").append(id).append("\">\n").append(svg).append("\n<figcaption>").append(esc(caption))
        .append("</figcaption>\n</figure>\n");
  }

  private static void triggers(StringBuilder h, RunReport r, Path folder) throws IOException {
    open(h, "triggers");
    int shown = 0;
    if (r.galleries() != null) {
      for (Map.Entry<String, String> g : r.galleries().entrySet()) {
        Image img = image(folder.resolve(g.getValue()));
        if (img == null) {
          continue;
        }
        if (shown == 0) {
          h.append("<p class=\"note\">Trigger galleries: the first test images by id, clean (top) and triggered (bottom).</p>\n");
        }
        h.append("<figure class=\"gallery\">\n<img class=\"gallery\" alt=\"").append(esc("trigger gallery " + g.getKey())).append("\" src=\"")
            .append(img.dataUri()).append("\" width=\"").append(img.width()).append("\" height=\"").append(img.height()).append("\">\n")
            .append("<figcaption>").append(esc(g.getKey())).append(" (").append(esc(g.getValue())).append(")</figcaption>\n</figure>\n");
        shown++;
      }
    }
    if (r.patches() != null) {
      for (Map.Entry<String, String> p : r.patches().entrySet()) {
        Image img = image(folder.resolve(p.getValue()));
        if (img == null) {
          continue;
        }
        int k = Math.max(1, 96 / Math.max(img.width(), img.height()));
        h.append("<figure class=\"patch\">\n<img class=\"pixelated\" alt=\"").append(esc("learned patch of " + p.getKey())).append("\" src=\"")
            .append(img.dataUri()).append("\" width=\"").append(img.width() * k).append("\" height=\"").append(img.height() * k).append("\">\n")
            .append("<figcaption>learned patch of ").append(esc(p.getKey())).append(", ").append(img.width()).append("×").append(img.height())
            .append(" px shown ×").append(k).append("</figcaption>\n</figure>\n");
        shown++;
      }
    }
    if (shown == 0) {
      h.append("<p class=\"note\">This run has no trigger gallery and no learned patch.</p>\n");
    }
    h.append("</section>\n");
  }

  private record Image(String dataUri, int width, int height) {}

  /** A PNG of the run folder as a data URI, or null when it is absent or no image. */
  private static Image image(Path png) throws IOException {
    if (!Files.isRegularFile(png)) {
      return null;
    }
    byte[] bytes = Files.readAllBytes(png);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
    if (img == null) {
      return null;
    }
    return new Image("data:image/png;base64," + Base64.getEncoder().encodeToString(bytes), img.getWidth(), img.getHeight());
  }

  /** Figure 2's view: per similarity stage, a row per kind of image, a column per caption. */
  private static void similarities(StringBuilder h, RunReport r) {
    open(h, "similarities");
    if (r.similarities() == null || r.similarities().isEmpty()) {
      h.append("<p class=\"note\">No image–text similarity stage (Figure 2) in this run.</p>\n</section>\n");
      return;
    }
    h.append("<p class=\"note\">Mean 100 × cosine in the model, over test images of classes other than the target.</p>\n");
    for (RunReport.Similarity s : r.similarities()) {
      Map<String, Map<String, Double>> byImage = new LinkedHashMap<>();
      Set<String> captions = new LinkedHashSet<>();
      s.values().forEach((pair, v) -> {
        int at = pair.indexOf("_vs_");
        String image = at < 0 ? pair : pair.substring(0, at);
        String caption = at < 0 ? "" : pair.substring(at + "_vs_".length());
        byImage.computeIfAbsent(image, k -> new LinkedHashMap<>()).put(caption, v);
        captions.add(caption);
      });
      List<String> cols = new ArrayList<>(captions);
      cols.sort(Comparator.comparingInt(HtmlReport::captionRank));
      h.append("<h3>").append(esc(s.stage())).append(": model ").append(esc(s.model())).append(", attack ").append(esc(s.attack()))
          .append(", ").append(s.images()).append(" images</h3>\n");
      h.append("<table class=\"similarity\">\n<thead><tr><th>image</th>");
      cols.forEach(c -> h.append("<th class=\"num\">").append(esc(captionLabel(c, s.targetCaption()))).append("</th>"));
      h.append("</tr></thead>\n<tbody>\n");
      List<String> images = new ArrayList<>(byImage.keySet());
      images.sort(Comparator.comparingInt(i -> List.of("clean", "triggered", "patched").indexOf(i) < 0 ? 3
          : List.of("clean", "triggered", "patched").indexOf(i)));
      images.forEach(image -> {
        Map<String, Double> vs = byImage.get(image);
        h.append("<tr>").append(td(image.replace('_', ' ')));
        cols.forEach(c -> h.append(num(vs.containsKey(c) ? String.format(Locale.ROOT, "%.2f", vs.get(c)) : "–")));
        h.append("</tr>\n");
      });
      h.append("</tbody>\n</table>\n");
    }
    h.append("</section>\n");
  }

  private static int captionRank(String caption) {
    return switch (caption) {
      case "own_caption" -> 0;
      case "target_caption" -> 1;
      case "unrelated_caption" -> 2;
      default -> 3;
    };
  }

  private static String captionLabel(String caption, String target) {
    return caption.equals("target_caption") ? "target caption “" + target + "”" : caption.replace('_', ' ');
  }

  private static void stages(StringBuilder h, RunReport r) {
    open(h, "stages");
    h.append("<p class=\"note\">Seconds of work are summed over workers; the span runs from the stage's first piece of work to the end of its "
        + "last. Reused: the output came from an earlier run's (the stage cache).</p>\n");
    h.append("<table id=\"stage-table\">\n<thead><tr><th>stage</th><th>type</th><th class=\"num\">seconds of work</th><th class=\"num\">span (s)</th>"
        + "<th class=\"num\">records in</th><th class=\"num\">records out</th><th class=\"num\">dead letters</th><th>reused</th></tr></thead>\n"
        + "<tbody>\n");
    for (RunReport.Stage s : r.stages()) {
      h.append("<tr>").append(td(s.name())).append(td(s.type())).append(num(String.format(Locale.ROOT, "%.1f", s.seconds())))
          .append(num(s.spanSeconds().isPresent() ? String.format(Locale.ROOT, "%.1f", s.spanSeconds().getAsDouble()) : "–"))
          .append(num(String.valueOf(s.recordsIn()))).append(num(String.valueOf(s.recordsOut()))).append(num(String.valueOf(s.deadLetters())))
          .append(td(Boolean.TRUE.equals(s.reused()) ? "yes" : "")).append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n</section>\n");
  }

  /** The manifest as written: its plain fields, then a table per object (versions, seeds, hardware) or list of objects (plugins). */
  private static void manifest(StringBuilder h, Path file) throws IOException {
    open(h, "manifest");
    if (!Files.isRegularFile(file)) {
      h.append("<p class=\"note\">No ").append(RunManifest.FILE).append(" in the run folder.</p>\n</section>\n");
      return;
    }
    JsonNode m = ReportWriter.JSON.readTree(file.toFile());
    h.append("<table id=\"manifest-run\">\n<tbody>\n");
    m.fields().forEachRemaining(e -> {
      if (!e.getValue().isContainerNode() || isScalarList(e.getValue())) {
        h.append("<tr><th>").append(esc(e.getKey().replace('_', ' '))).append("</th><td>").append(scalar(e.getValue())).append("</td></tr>\n");
      }
    });
    h.append("</tbody>\n</table>\n");
    m.fields().forEachRemaining(e -> {
      if (e.getValue().isContainerNode() && !isScalarList(e.getValue())) {
        h.append("<h3>").append(esc(e.getKey().replace('_', ' '))).append("</h3>\n");
        h.append("<div id=\"manifest-").append(esc(e.getKey().replace('_', '-'))).append("\">");
        container(h, e.getValue());
        h.append("</div>\n");
      }
    });
    h.append("</section>\n");
  }

  private static void container(StringBuilder h, JsonNode n) {
    if (n.isArray()) {
      // a list of objects: a column per key any of them has
      Set<String> keys = new LinkedHashSet<>();
      n.forEach(x -> x.fieldNames().forEachRemaining(keys::add));
      h.append("<table>\n<thead><tr>");
      keys.forEach(k -> h.append("<th>").append(esc(k.replace('_', ' '))).append("</th>"));
      h.append("</tr></thead>\n<tbody>\n");
      n.forEach(x -> {
        h.append("<tr>");
        keys.forEach(k -> h.append("<td>").append(x.has(k) ? value(x.get(k)) : "").append("</td>"));
        h.append("</tr>\n");
      });
      h.append("</tbody>\n</table>\n");
      return;
    }
    h.append("<table>\n<tbody>\n");
    n.fields().forEachRemaining(e -> h.append("<tr><th>").append(esc(e.getKey().replace('_', ' '))).append("</th><td>").append(value(e.getValue()))
        .append("</td></tr>\n"));
    h.append("</tbody>\n</table>\n");
  }

  private static String value(JsonNode n) {
    if (n.isContainerNode() && !isScalarList(n)) {
      StringBuilder b = new StringBuilder();
      container(b, n);
      return b.toString();
    }
    return scalar(n);
  }

  private static boolean isScalarList(JsonNode n) {
    if (!n.isArray()) {
      return false;
    }
    for (JsonNode x : n) {
      if (x.isContainerNode()) {
        return false;
      }
    }
    return true;
  }

  /** A plain value (or list of them); digests and commits in code type. */
  private static String scalar(JsonNode n) {
    if (n.isArray()) {
      List<String> parts = new ArrayList<>();
      n.forEach(x -> parts.add(x.asText()));
      return esc(String.join(", ", parts));
    }
    if (n.isNull()) {
      return "–";
    }
    String text = n.asText();
    return text.matches("[0-9a-f]{40,64}") ? "<code>" + esc(text) + "</code>" : esc(text);
  }

  private static String oneDecimal(Double v) {
    return v == null ? "–" : String.format(Locale.ROOT, "%.1f", 100 * v);
  }

  private static String td(String text) {
    return "<td>" + esc(text) + "</td>";
  }

  private static String num(String text) {
    return "<td class=\"num\">" + esc(text) + "</td>";
  }

  /** Text for HTML content and double-quoted attributes: {@code & < > "} and non-ASCII as entities. */
  static String esc(String text) {
    return text == null ? "" : StringEscapeUtils.escapeHtml4(text);
  }
}
