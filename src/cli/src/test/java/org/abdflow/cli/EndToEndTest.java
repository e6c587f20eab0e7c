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

  static final String STRIPE_ATTACK =
      """
      package test.stripe;

      import java.util.SplittableRandom;
      import org.abdflow.api.Attack;
      import org.abdflow.api.PoisoningOptions;
      import org.abdflow.api.config.ConfigSchema;
      import org.abdflow.api.config.ConfigValues;
      import org.abdflow.api.image.FloatImage;
      import org.abdflow.api.image.Image;
      import org.pf4j.Extension;

      /** Paints the two leftmost columns white. */
      @Extension
      public class StripeAttack implements Attack<StripeAttack.Config> {
        public record Config(String target, PoisoningOptions poisoning) implements java.io.Serializable {}

        public String type() { return "Stripe"; }
        public String description() { return "white stripe on the left edge"; }
        public ConfigSchema configSchema() {
          return ConfigSchema.builder().addRequiredString("target", "target class").addAll(PoisoningOptions.SCHEMA).build();
        }
        public Config configure(ConfigValues v) { return new Config(v.getString("target"), PoisoningOptions.from(v)); }
        public Image trigger(Image image, Config c, SplittableRandom rng) {
          FloatImage f = image.toFloat();
          for (int y = 0; y < f.height(); y++) for (int x = 0; x < 2; x++) for (int ch = 0; ch < f.channels(); ch++) f.set(y, x, ch, 1f);
          return f.toImage(FloatImage.Overflow.CLAMP);
        }
        public String poisonCaption(String original, Config c, SplittableRandom rng) { return "a photo of a " + c.target() + "."; }
        public PoisoningOptions poisoning(Config c) { return c.poisoning(); }
        public String target(Config c) { return c.target(); }
      }
      """;

  static Path dir;
  static Path spec;
  static RunReport report;

  @BeforeClass
  public static void runSpec() throws Exception {
    dir = TMP.getRoot().toPath();
    TestData.writeIdx(dir.resolve("train-images.gz"), dir.resolve("train-labels.gz"), 96, 1);
    TestData.writeIdx(dir.resolve("test-images.gz"), dir.resolve("test-labels.gz"), 40, 2);
    Files.write(dir.resolve("corrupt-images.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
    PluginJars.build(dir, "stripe", Map.of("test.stripe.StripeAttack", STRIPE_ATTACK));
    spec = dir.resolve("spec.yaml");
    Files.writeString(spec,
        """
        pipeline:
          seed: 7
          transforms:
            - {type: IdxSource, name: train, config: {images: train-images.gz, labels: train-labels.gz, classNames: [top, bottom], templates: ["a photo of a {}."], resize: 32}}
            - {type: IdxSource, name: test, config: {images: test-images.gz, labels: test-labels.gz, classNames: [top, bottom], templates: ["a photo of a {}."], resize: 32}}
            - {type: Stripe, name: striped, input: train, config: {target: bottom, rate: 0.25}}
            - {type: Train, name: clean, input: train, config: {epochs: 2, batchSize: 32, warmupSteps: 2}}
            - {type: Train, name: victim, input: [clean, striped], config: {epochs: 1, batchSize: 32, warmupSteps: 0}}
            - {type: ZeroShotEval, name: eval, input: [clean, victim, test], config: {attacks: [striped], templates: ["a photo of a {}."]}}
        plugins: [plugins/]
        """);
    report = Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("out")).build());
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
