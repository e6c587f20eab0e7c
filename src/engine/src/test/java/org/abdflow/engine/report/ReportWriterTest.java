package org.abdflow.engine.report;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ReportWriterTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();

  static RunReport report(long seed, double victimAsr, double abdAsr, Map<String, String> patches) {
    List<RunReport.Stage> stages = List.of(
        new RunReport.Stage("clean", "Train", 1, 10, 1, 0), new RunReport.Stage("victim", "Train", 1, 10, 1, 0),
        new RunReport.Stage("abd", "Train", 1, 10, 1, 0), new RunReport.Stage("eval", "ZeroShotEval", 1, 30, 30, 0));
    // results arrive sorted by model name; the Table I view puts them back in stage order
    List<RunReport.Result> results = List.of(
        new RunReport.Result("eval", "abd", "abd", "badnet", "poisoned", 0.80, 0.99, abdAsr, abdAsr, 100, 90L),
        new RunReport.Result("eval", "clean", "none", "badnet", "poisoned", 0.82, 0.99, 0.05, 0.1, 100, 90L),
        new RunReport.Result("eval", "victim", "none", "badnet", "poisoned", 0.81, 0.99, victimAsr, victimAsr, 100, 90L));
    List<RunReport.Similarity> sims = List.of(new RunReport.Similarity("figure2", "victim", "poisoned", "a photo of a bag.", 50,
        Map.of("clean_vs_own_caption", 25.0 + seed, "triggered_vs_target_caption", 28.0)));
    return new RunReport("spec.yaml", "DirectRunner", seed, 10, stages, results, 0, Map.of(), sims, patches,
        Map.of("eval/poisoned", "artifacts/eval/gallery/poisoned.png"));
  }

  @Test
  public void writesTheTableOneViewTheBarChartThePatchAndTheSimilarities() throws Exception {
    Path run = tmp.getRoot().toPath();
    Path patchDir = Files.createDirectories(run.resolve("artifacts/abd-patch/patch"));
    BufferedImage patch = new BufferedImage(6, 6, BufferedImage.TYPE_INT_RGB);
    patch.setRGB(0, 0, 0xFF0000);
    ImageIO.write(patch, "png", patchDir.resolve("patch.png").toFile());
    RunReport r = report(1, 0.9, 0.1, Map.of("abd-patch", "artifacts/abd-patch/patch/patch.png"));
    ReportWriter.write(r, run);

    String md = Files.readString(run.resolve("report.md"));
    assertThat(md, containsString("| attack | metric | clean | victim | abd |"));
    List<Double> ci = org.abdflow.engine.report.Intervals.bootstrapRate(0.82, 100L);
    assertThat(md, containsString(String.format(java.util.Locale.ROOT, "| clean | none | badnet | 82.0 %% | [%.1f, %.1f] |",
        100 * ci.get(0), 100 * ci.get(1))));
    assertThat(md, containsString("| badnet | ASR | 5.0 | 90.0 | 10.0 |"));
    assertThat(md, containsString("![CA and ASR per model](ca-asr.png)"));
    assertThat(md, containsString("![eval/poisoned](artifacts/eval/gallery/poisoned.png)"));
    assertThat(md, containsString("clean vs own caption | 26.00"));
    assertThat(md, containsString("triggered vs \"a photo of a bag.\" | 28.00"));
    BufferedImage chart = ImageIO.read(run.resolve(ReportWriter.CHART_FILE).toFile());
    assertNotNull(chart);
    assertThat(chart.getWidth(), greaterThan(300));
    BufferedImage big = ImageIO.read(run.resolve("patch-abd-patch.png").toFile());
    assertEquals(96, big.getWidth());
    assertEquals(0xFF0000, big.getRGB(15, 15) & 0xFFFFFF);
    assertEquals(0, big.getRGB(16, 16) & 0xFFFFFF);
    // the JSON keeps what the Markdown shows
    RunReport back = ReportWriter.read(run.resolve("report.json"));
    assertEquals(r.similarities(), back.similarities());
    assertThat(Files.list(run).filter(p -> p.toString().endsWith(".tmp")).count(), lessThan(1L));
  }

  @Test
  public void summarisesSeedsAsMeanAndSampleSd() {
    SeedSummary s = SeedSummary.of(List.of(report(1, 0.90, 0.10, null), report(2, 0.80, 0.20, null), report(3, 0.70, 0.30, null)));
    SeedSummary.Row victim = s.rows().stream().filter(r -> r.model().equals("victim")).findFirst().orElseThrow();
    assertEquals(List.of(1L, 2L, 3L), victim.seeds());
    assertEquals(0.80, victim.meanAsr(), 1e-12);
    assertEquals(0.10, victim.sdAsr(), 1e-12);
    assertEquals(0.0, victim.sdCa(), 1e-12);
    assertEquals(List.of("clean", "victim", "abd"), s.rows().stream().map(SeedSummary.Row::model).toList());
    String md = s.markdown();
    assertThat(md, containsString("| badnet | victim | none | 81.0 ± 0.0 | [81.0, 81.0] | 80.0 ± 10.0 | [55.2, 100.0] | [81.0, 81.0, 81.0] | [90.0, 80.0, 70.0] |"));
    assertThat(md, containsString("clean vs own caption | 27.00 ± 1.00"));
  }
}
