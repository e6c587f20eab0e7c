package org.abdflow.engine.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.Assume;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code report.html} of a real demo run's report (a copy of its report.json, manifest.json and
 * PNGs in test resources), opened in headless Chromium: a screenshot that is not blank, and the DOM
 * Chromium built with every section, table row and chart in it.
 */
public class HtmlReportTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  private static final List<String> SECTIONS = List.of("results", "charts", "triggers", "similarities", "stages", "manifest");
  private static final long CHROMIUM_SECONDS = 120;

  @Test
  public void theDemoRunsPageRendersInChromiumWithEverySection() throws Exception {
    Path chromium = chromium();
    Assume.assumeTrue("no Chromium binary (apt-get install chromium, or set ABDFLOW_CHROMIUM): report.html is not rendered", chromium != null);
    Path run = demoRun();
    RunReport report = ReportWriter.read(run.resolve("report.json"));
    ReportWriter.write(report, run);
    Path page = run.resolve(HtmlReport.FILE);
    String html = Files.readString(page);
    selfContained(html);
    try (Stream<Path> left = Files.list(run)) {
      assertFalse("no temporary file is left", left.anyMatch(p -> p.toString().endsWith(".tmp")));
    }

    Path png = tmp.getRoot().toPath().resolve("screenshot.png");
    run(chromium, "--window-size=1280,2000", "--hide-scrollbars", "--screenshot=" + png, page.toUri().toString());
    BufferedImage shot = ImageIO.read(png.toFile());
    assertNotNull("Chromium wrote a PNG", shot);
    assertEquals(1280, shot.getWidth());
    String keep = System.getProperty("abdflow.htmlReportTest.keep");
    if (keep != null) {
      // -Dabdflow.htmlReportTest.keep=DIR keeps the page and its screenshot to look at
      Files.createDirectories(Path.of(keep));
      Files.copy(page, Path.of(keep, HtmlReport.FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.copy(png, Path.of(keep, "screenshot.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    PixelStats stats = PixelStats.of(shot);
    System.out.println("report.html screenshot " + shot.getWidth() + "x" + shot.getHeight() + ": " + stats);
    assertThat("a good share of the page is not white", stats.nonWhiteShare(), greaterThan(0.04));
    assertThat("text, tables, bars and a gallery: many colours", stats.distinctColours(), greaterThan(200));
    assertThat("the CA bars (blue) are drawn", stats.caBlue(), greaterThan(500));
    assertThat("the ASR bars (red) are drawn", stats.asrRed(), greaterThan(500));

    String dom = run(chromium, "--dump-dom", page.toUri().toString());
    Document doc = Jsoup.parse(dom);
    assertEquals("the sections, in order", SECTIONS, doc.select("body > section").eachAttr("id"));
    // a row per model (the demo evaluates each under one attack), the same numbers as report.json
    List<Element> rows = doc.select("#results table#zero-shot tbody tr");
    assertEquals(report.results().size(), rows.size());
    assertEquals(report.results().stream().map(RunReport.Result::model).distinct().sorted().toList(),
        rows.stream().map(r -> r.child(0).text()).sorted().toList());
    Element victim = rows.stream().filter(r -> r.child(0).text().equals("victim")).findFirst().orElseThrow();
    assertEquals(String.format(Locale.ROOT, "%.1f %%", 100 * report.result("victim", "badnet").orElseThrow().attackSuccessRate()),
        victim.child(6).text());
    assertEquals("86.7 %", victim.child(6).text());
    assertEquals("the bootstrap interval beside it", Intervals.percent(report.result("victim", "badnet").orElseThrow().attackSuccessRateCi()),
        victim.child(7).text());
    assertEquals("Table I view: a column per model", 2 + 6, doc.select("#results table.table-one thead th").size());
    // charts: CA/ASR bars and the loss curves as inline SVG; the demo is no grid over poison rates
    assertEquals(2, doc.select("#charts svg").size());
    assertFalse(doc.select("#chart-ca-asr svg rect").isEmpty());
    assertEquals("a loss curve per Train stage", report.training().size(),
        doc.select("#chart-loss svg text").stream().filter(t -> report.training().containsKey(t.text())).count());
    assertThat(doc.select("#no-poison-rate-grid").text(), containsString("one rate, 10.0 %"));
    assertEquals(report.training().size(), doc.select("#charts table#training tbody tr").size());
    // the gallery and the learned patch, inlined
    List<Element> images = doc.select("#triggers img");
    assertEquals(2, images.size());
    images.forEach(i -> assertThat(i.attr("src"), startsWith("data:image/png;base64,")));
    assertEquals("96", doc.select("#triggers img.pixelated").attr("width"));
    // Figure 2: a row per kind of image, clean first
    assertEquals(List.of("clean", "triggered", "patched"), doc.select("#similarities table tbody tr > td:first-child").eachText());
    assertThat(doc.select("#similarities table thead").text(), containsString("a photo of a bag."));
    assertEquals(report.stages().size(), doc.select("#stages tbody tr").size());
    assertEquals(7, doc.select("#stages tbody tr").stream().filter(r -> r.child(7).text().equals("yes")).count());
    Element manifest = doc.selectFirst("#manifest");
    assertNotNull(manifest);
    assertThat(manifest.text(), containsString("58954302e7951d01a44a8e1e9c01f80453be11e6"));
    assertThat(manifest.select("#manifest-versions").text(), containsString("2.7.1"));
    assertEquals("a row per plugin JAR", 17, manifest.select("#manifest-plugins > table > tbody > tr").size());
    assertThat(manifest.select("#manifest-seeds").text(), containsString("3023761874380163508"));
    assertThat(manifest.select("#manifest-hardware").text(), containsString("AMD EPYC"));
  }

  @Test
  public void textFromSpecsAndDataIsEscaped() throws Exception {
    Path run = tmp.getRoot().toPath();
    String evil = "<script>alert(1)</script>";
    List<RunReport.Stage> stages = List.of(new RunReport.Stage(evil, "Train", 1, 10, 1, 0),
        new RunReport.Stage("eval", "ZeroShotEval\"><img src=x onerror=alert(2)>", 1, 20, 20, 0));
    List<RunReport.Result> results = List.of(new RunReport.Result("eval", evil, "none", "badnet", "poisoned", 0.8, 0.9, 0.5, 0.5, 10, 9L));
    RunReport r = new RunReport("specs/" + evil + ".yaml", "DirectRunner", 1, 1, stages, results, 0,
        Map.of(evil, new RunReport.Training(10, 1, 2, 4, 1, List.of(2.0, 1.0))),
        List.of(new RunReport.Similarity("figure2", evil, "poisoned", "a photo of a </td><script>alert(3)</script>", 5,
            Map.of("clean_vs_target_caption", 1.0))),
        null, Map.of("eval/" + evil, "artifacts/none.png"));
    Files.writeString(run.resolve(RunManifest.FILE), "{\"spec\": \"" + evil + "\", \"plugins\": [{\"id\": \"" + evil + "\"}]}");
    String html = HtmlReport.html(r, run);
    assertThat(html.toLowerCase(Locale.ROOT), not(containsString("<script")));
    assertThat(html, not(containsString("<img src=x")));
    assertThat(html, containsString("&lt;script&gt;alert(1)&lt;/script&gt;"));
    selfContained(html);
    Document doc = Jsoup.parse(html);
    assertTrue(doc.select("script").isEmpty());
    assertEquals("a gallery whose PNG is absent is left out", 0, doc.select("img").size());
    assertEquals(evil, doc.selectFirst("#zero-shot tbody tr td").text());
    assertThat(doc.selectFirst("h1").text(), containsString(evil));
    assertThat("as chart text too (the title wraps)", doc.select("#chart-ca-asr svg text").text(), containsString("<script>alert(1)"));
    assertThat(doc.select("#stages").text(), containsString("ZeroShotEval\"><img src=x onerror=alert(2)>"));
    assertThat(doc.select("#similarities thead").text(), containsString("</td><script>alert(3)</script>"));
    assertThat(doc.select("#manifest").text(), containsString(evil));
  }

  @Test
  public void aGridOverPoisonRatesGetsItsAsrChart() throws Exception {
    List<RunReport.Stage> stages = new ArrayList<>();
    List<RunReport.Result> results = new ArrayList<>();
    results.add(new RunReport.Result("eval", "clean", "none", "badnet", "p-0.01", 0.8, 0.9, 0.05, 0.1, 100, 90L));
    double[][] asr = {{0.01, 0.30, 0.05}, {0.05, 0.80, 0.08}, {0.10, 0.95, 0.10}};
    for (double[] a : asr) {
      String rate = String.valueOf(a[0]);
      stages.add(new RunReport.Stage("victim-" + rate, "Train", 1, 10, 1, 0));
      stages.add(new RunReport.Stage("abd-" + rate, "Train", 1, 10, 1, 0));
      results.add(new RunReport.Result("eval", "victim-" + rate, "none", "badnet", "p-" + rate, 0.8, 0.9, a[1], a[1], 100, 90L, a[0]));
      results.add(new RunReport.Result("eval", "abd-" + rate, "abd", "badnet", "p-" + rate, 0.8, 0.9, a[2], a[2], 100, 90L, a[0]));
    }
    RunReport r = new RunReport("grid.yaml", "DirectRunner", 1, 1, stages, results, 0, Map.of(), null, null, null);
    Map<String, ? extends Map<Double, Double>> grid = HtmlReport.poisonRateGrid(r);
    assertEquals(List.of("no defense", "abd"), List.copyOf(grid.keySet()));
    assertEquals(Map.of(0.01, 0.30, 0.05, 0.80, 0.10, 0.95), grid.get("no defense"));
    String html = HtmlReport.html(r, tmp.getRoot().toPath());
    if (System.getProperty("abdflow.htmlReportTest.keep") != null) {
      Files.writeString(Path.of(System.getProperty("abdflow.htmlReportTest.keep"), "grid.html"), html);
    }
    Document doc = Jsoup.parse(html);
    assertNotNull(doc.selectFirst("#charts #chart-asr-rate svg"));
    assertTrue(doc.select("#no-poison-rate-grid").isEmpty());
    assertThat(doc.select("#chart-asr-rate svg text").eachText(), hasItems("no defense", "abd", "poison rate (%)"));
    assertThat(doc.select("#no-poison-rate-grid, #charts p.note").text(), containsString("No training curves"));
    // report.json keeps the rates
    Path run = tmp.newFolder("run").toPath();
    ReportWriter.write(r, run);
    assertEquals(0.05, ReportWriter.read(run.resolve("report.json")).result("abd-0.05", "badnet").orElseThrow().poisonRate(), 0);
    assertNull(ReportWriter.read(run.resolve("report.json")).result("clean", "badnet").orElseThrow().poisonRate());
  }

  @Test
  public void aSummaryOfSeparateRunsShowsTheMeansTheChartTheSimilaritiesAndTheRuns() throws Exception {
    List<RunReport> runs = new ArrayList<>();
    double[] victimAsr = {0.9, 0.8, 0.7};
    for (int i = 0; i < 3; i++) {
      List<RunReport.Stage> stages = List.of(new RunReport.Stage("victim", "Train", 1, 10, 1, 0), new RunReport.Stage("abd", "Train", 1, 10, 1, 0));
      List<RunReport.Result> results = List.of(
          new RunReport.Result("eval", "victim", "none", "badnet", "poisoned", 0.8, 0.9, victimAsr[i], victimAsr[i], 100, 90L),
          new RunReport.Result("eval", "abd", "abd", "badnet", "poisoned", 0.82, 0.9, 0.05, 0.05, 100, 90L));
      List<RunReport.Similarity> sims = List.of(new RunReport.Similarity("figure2", "victim", "poisoned", "a photo of a bag.", 50,
          Map.of("triggered_vs_target_caption", 30.0 + i)));
      runs.add(new RunReport("demo.yaml", "FlinkRunner", i + 1, 200 + i, stages, results, 0, Map.of(), sims, null, null));
    }
    String html = HtmlReport.summary(SeedSummary.of(runs), List.of(Path.of("runs/s1"), Path.of("runs/s2"), Path.of("runs/s3")));
    selfContained(html);
    Document doc = Jsoup.parse(html);
    assertThat(doc.selectFirst("h1").text(), containsString("demo.yaml"));
    assertEquals(2, doc.select("#seed-summary tbody tr").size());
    Element victim = doc.selectFirst("#seed-summary tbody tr");
    assertEquals("victim", victim.child(1).text());
    assertEquals("80.0 ± 10.0", victim.child(5).text());
    assertEquals("[90.0, 80.0, 70.0]", victim.child(8).text());
    assertThat(doc.select("#chart-ca-asr svg text").text(), containsString("mean over seeds [1, 2, 3]"));
    assertEquals("31.00 ± 1.00", doc.selectFirst("#similarity-summary tbody tr").child(3).text());
    assertEquals(List.of("1", "2", "3"), doc.select("#runs tbody tr td:first-child").eachText());
    assertThat(doc.select("#runs").text(), containsString("runs/s2"));
  }

  /** Nothing the page would fetch: no scripts, style sheets or frames, and no reference but to data: URIs and its own ids. */
  private static void selfContained(String html) {
    java.util.regex.Matcher fetch =
        java.util.regex.Pattern.compile("(?i)<script|<link|<iframe|<object|<embed|@import|url\\(\\s*(?!['\"]?#)").matcher(html);
    if (fetch.find()) {
      throw new AssertionError("report.html would fetch something: ..."
          + html.substring(Math.max(0, fetch.start() - 80), Math.min(html.length(), fetch.end() + 80)) + "...");
    }
    for (Element e : Jsoup.parse(html).getAllElements()) {
      for (org.jsoup.nodes.Attribute a : e.attributes()) {
        if (List.of("src", "href", "xlink:href", "srcset", "poster", "data", "action").contains(a.getKey().toLowerCase(Locale.ROOT))) {
          assertTrue("<" + e.tagName() + " " + a.getKey() + "=" + a.getValue().substring(0, Math.min(60, a.getValue().length())) + ">",
              a.getValue().startsWith("data:") || a.getValue().startsWith("#"));
        }
      }
    }
  }

  /** A copy of the demo run's files in test resources, laid out as the run folder has them. */
  private Path demoRun() throws IOException, URISyntaxException {
    Path from = Path.of(HtmlReportTest.class.getResource("/report/demo").toURI());
    Path to = tmp.newFolder("demo").toPath();
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        Files.createDirectories(target.getParent());
        Files.copy(f, target);
      }
    }
    return to;
  }

  /** Chromium to render with: $ABDFLOW_CHROMIUM, else the usual names on the PATH; null when there is none. */
  static Path chromium() {
    String given = System.getenv("ABDFLOW_CHROMIUM");
    if (given != null && !given.isBlank()) {
      if (Files.isExecutable(Path.of(given))) {
        return Path.of(given);
      }
      System.err.println("HtmlReportTest: ABDFLOW_CHROMIUM=" + given + " is no executable; skipped");
      return null;
    }
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String name : List.of("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")) {
      for (String dir : path.split(File.pathSeparator)) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return p;
        }
      }
    }
    System.err.println("HtmlReportTest: no chromium, chromium-browser or google-chrome on the PATH and no ABDFLOW_CHROMIUM; skipped");
    return null;
  }

  /** Runs headless Chromium with a fresh profile and a time limit; returns its standard output. */
  private String run(Path chromium, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(chromium.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
        "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + tmp.newFolder().getAbsolutePath()));
    command.addAll(List.of(args));
    File out = tmp.newFile();
    File err = tmp.newFile();
    Process p = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
    if (!p.waitFor(CHROMIUM_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError("chromium ran over " + CHROMIUM_SECONDS + " s: " + command + "\n" + Files.readString(err.toPath()));
    }
    assertEquals("chromium " + command + " failed:\n" + Files.readString(err.toPath()), 0, p.exitValue());
    return Files.readString(out.toPath(), StandardCharsets.UTF_8);
  }

  /** What a screenshot shows, in numbers. */
  record PixelStats(double nonWhiteShare, int distinctColours, int caBlue, int asrRed) {
    static PixelStats of(BufferedImage img) {
      long nonWhite = 0;
      int blue = 0;
      int red = 0;
      Set<Integer> colours = new HashSet<>();
      for (int y = 0; y < img.getHeight(); y++) {
        for (int x = 0; x < img.getWidth(); x++) {
          int rgb = img.getRGB(x, y) & 0xFFFFFF;
          colours.add(rgb);
          int r = rgb >> 16;
          int g = (rgb >> 8) & 0xFF;
          int b = rgb & 0xFF;
          if (r < 240 || g < 240 || b < 240) {
            nonWhite++;
          }
          blue += near(r, g, b, 0x3B, 0x75, 0xAF) ? 1 : 0;
          red += near(r, g, b, 0xC4, 0x3C, 0x39) ? 1 : 0;
        }
      }
      return new PixelStats((double) nonWhite / ((long) img.getWidth() * img.getHeight()), colours.size(), blue, red);
    }

    private static boolean near(int r, int g, int b, int r0, int g0, int b0) {
      return Math.abs(r - r0) <= 8 && Math.abs(g - g0) <= 8 && Math.abs(b - b0) <= 8;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%.1f %% not white, %d distinct colours, %d CA-blue and %d ASR-red bar pixels", 100 * nonWhiteShare,
          distinctColours, caBlue, asrRed);
    }
  }
}
