package org.abdflow.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.RunRequest;
import org.abdflow.engine.report.ReportWriter;
import org.abdflow.engine.report.RunReport;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import picocli.CommandLine;

/**
 * A whole spec on the embedded runner: built-in plugins from the build's plugin folder, plus an
 * attack plugin compiled and packed into a JAR by this test and loaded from a temporary folder.
 */
public class EndToEndTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  static Path dir;
  static Path spec;
  static RunReport report;

  static long startedMs;
  static long endedMs;

  @BeforeClass
  public static void runSpec() throws Exception {
    dir = TMP.getRoot().toPath();
    spec = SmallSpec.write(dir);
    startedMs = System.currentTimeMillis();
    report = Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("out")).build());
    endedMs = System.currentTimeMillis();
  }

  @Test
  public void everyStageThatWorkedHasASpanInsideTheRun() {
    for (RunReport.Stage s : report.stages()) {
      if (s.recordsIn() + s.recordsOut() == 0) {
        continue;
      }
      assertNotNull(s.name(), s.workStartMs());
      assertTrue(s.name() + " " + s, startedMs <= s.workStartMs() && s.workStartMs() <= s.workEndMs() && s.workEndMs() <= endedMs);
      assertTrue(s.spanSeconds().getAsDouble() <= report.wallSeconds());
    }
    // the evaluation needs the trained model: its work ends after the training's
    RunReport.Stage clean = report.stages().stream().filter(s -> s.name().equals("clean")).findFirst().orElseThrow();
    RunReport.Stage eval = report.stages().stream().filter(s -> s.type().equals("ZeroShotEval")).findFirst().orElseThrow();
    assertTrue(clean.workEndMs() <= eval.workEndMs());
  }

  @Test
  public void reportHasOneRowPerModelAndAttackWithFractions() {
    assertEquals(2, report.results().size());
    for (String model : List.of("clean", "victim")) {
      RunReport.Result r = report.result(model, "stripe").orElseThrow();
      assertEquals("striped", r.attackStage());
      assertEquals(40, r.evalImages());
      assertEquals(Long.valueOf(20), r.triggeredImages()); // the 20 non-target images
      for (Double v : new Double[] {r.cleanAccuracy(), r.cleanTop5(), r.attackSuccessRate(), r.attackSuccessRateAll()}) {
        assertNotNull(v);
        assertTrue(v >= 0 && v <= 1);
      }
      assertEquals(1.0, r.cleanTop5(), 0.0); // two classes: the true one is always in the top 5
    }
  }

  @Test
  public void stagesCountTheirRecordsAndPoisoningKeepsLineage() {
    RunReport.Stage train = report.stages().stream().filter(s -> s.name().equals("train")).findFirst().orElseThrow();
    assertEquals(96, train.recordsOut());
    RunReport.Stage striped = report.stages().stream().filter(s -> s.name().equals("striped")).findFirst().orElseThrow();
    assertEquals(96, striped.recordsIn());
    assertEquals(96, striped.recordsOut());
    RunReport.Training victim = report.training().get("victim");
    assertThat(victim.poisoned(), greaterThan(5L));
    assertThat((double) victim.poisoned(), org.hamcrest.Matchers.lessThan(96 * 0.45));
    assertEquals(2, report.training().get("clean").lossPerEpoch().size());
  }

  @Test
  public void outputFolderHoldsReportsCheckpointsAndNoPartialFolder() throws Exception {
    Path out = dir.resolve("out");
    RunReport read = ReportWriter.read(out.resolve("report.json"));
    assertEquals(report.results(), read.results());
    assertTrue(Files.isDirectory(out.resolve("artifacts/victim/checkpoint")));
    assertThat(Files.readString(out.resolve("report.md")), containsString("| victim | none | stripe |"));
    assertTrue(!Files.exists(dir.resolve("out.partial")));
    String json = Files.readString(out.resolve("report.json"));
    for (String key : List.of("\"spec\"", "\"runner\"", "\"seed\" : 7", "\"stages\"", "\"records_in\"", "\"clean_accuracy\"",
        "\"attack_success_rate\"", "\"eval_images\"", "\"dead_letters\"")) {
      assertThat(json, containsString(key));
    }
  }

  @Test
  public void pluginsCommandListsTheTestPluginWithItsKeys() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    PrintStream old = System.out;
    System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
    try {
      int rc = new CommandLine(new AbdflowCommand()).execute("plugins", "--plugins", dir.resolve("plugins").toString());
      assertEquals(0, rc);
    } finally {
      System.setOut(old);
    }
    String listing = buf.toString(StandardCharsets.UTF_8);
    assertThat(listing, containsString("Stripe  (Attack, plugin stripe)"));
    assertThat(listing, containsString("BadNet  (Attack, plugin badnet)"));
    assertThat(listing, containsString("Train  (engine stage)"));
    assertThat(List.of(listing.split("\n")).stream().map(String::strip).toList(),
        hasItem(org.hamcrest.Matchers.startsWith("size           integer in [1, 4096]")));
  }
}
