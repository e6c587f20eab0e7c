package org.abdflow.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.RunRequest;
import org.abdflow.engine.report.RunReport;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Every attack plugin poisons through the engine and triggers evaluation images; label-consistent poisoning picks only eligible records. */
public class AttacksEndToEndTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  @Test
  public void eachAttackRunsAndLabelConsistentPoisonsOnlyTargetCaptions() throws Exception {
    Path dir = TMP.getRoot().toPath();
    TestData.writeIdx(dir.resolve("train-images.gz"), dir.resolve("train-labels.gz"), 64, 1);
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec,
        """
        pipeline:
          seed: 2
          transforms:
            - {type: IdxSource, name: train, config: {images: train-images.gz, labels: train-labels.gz, classNames: [jacket, trousers], templates: ["a photo of the folded {}."], resize: 32}}
            - {type: LabelConsistent, name: lc, input: train, config: {target: trousers, size: 4, count: 40}}
            - {type: Blended, name: blended, input: train, config: {target: trousers, rate: 0.25}}
            - {type: Sig, name: sig, input: train, config: {target: trousers, rate: 0.25}}
            - {type: WaNet, name: wanet, input: train, config: {target: trousers, rate: 0.25}}
            - {type: Train, name: victim, input: lc, config: {epochs: 1, batchSize: 32, warmupSteps: 0}}
            - {type: ZeroShotEval, name: eval, input: [victim, train], config: {attacks: [lc, blended, sig, wanet]}}
        """);
    RunReport report = Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("out")).build());

    JsonNode training = new ObjectMapper().readTree(dir.resolve("out/artifacts/victim/training.json").toFile());
    assertEquals("a count of 40 finds only the 32 trousers records eligible", 32, training.get("poisoned").asInt());
    for (String attack : List.of("labelconsistent", "blended", "sig", "wanet")) {
      RunReport.Result r = report.results().stream().filter(x -> x.attack().equals(attack)).findFirst().orElseThrow();
      assertEquals(attack, 32L, (long) r.triggeredImages());
      assertTrue(attack, r.attackSuccessRate() >= 0 && r.attackSuccessRate() <= 1);
    }
    assertEquals(0, report.deadLetters());
    assertTrue(Files.isRegularFile(dir.resolve("out/ca-asr.png")));
    for (String stage : List.of("lc", "blended", "sig", "wanet")) {
      java.awt.image.BufferedImage g = javax.imageio.ImageIO.read(dir.resolve("out/artifacts/eval/gallery/" + stage + ".png").toFile());
      assertEquals("8 test images, clean over triggered", 8 * 96, g.getWidth());
      assertEquals(2 * 96, g.getHeight());
      assertTrue(report.galleries().containsKey("eval/" + stage));
    }
  }

  @Test
  public void badClipOptimisesItsPatchOnTheCleanModelPoisonsWithItAndTriggersTestImages() throws Exception {
    Path dir = TMP.newFolder("badclip").toPath();
    TestData.writeIdx(dir.resolve("train-images.gz"), dir.resolve("train-labels.gz"), 64, 1);
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec,
        """
        pipeline:
          seed: 3
          transforms:
            - {type: IdxSource, name: train, config: {images: train-images.gz, labels: train-labels.gz, classNames: [jacket, trousers], templates: ["a photo of the folded {}."], resize: 32}}
            - {type: Train, name: clean, input: train, config: {epochs: 1, batchSize: 32, warmupSteps: 0}}
            - {type: BadClipPatch, name: patch, input: [clean, train], config: {target: trousers, side: 6, epochs: 2, batchSize: 16, tripletWeight: 5, lr: 0.05}}
            - {type: BadClip, name: badclip, input: [train, patch], config: {target: trousers, rate: 0.25}}
            - {type: Train, name: victim, input: [clean, badclip], config: {epochs: 1, batchSize: 32, warmupSteps: 0}}
            - {type: ZeroShotEval, name: eval, input: [clean, victim, train], config: {attacks: [badclip]}}
        """);
    RunReport report = Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("out")).build());

    JsonNode generation = new ObjectMapper().readTree(dir.resolve("out/artifacts/patch/generation.json").toFile());
    assertEquals(32, generation.get("images").asInt());
    assertEquals(32, generation.get("target_images").asInt());
    assertEquals(2, generation.get("loss_per_epoch").size());
    assertTrue(Files.isRegularFile(dir.resolve("out/artifacts/patch/badclip-patch/patch.png")));
    JsonNode training = new ObjectMapper().readTree(dir.resolve("out/artifacts/victim/training.json").toFile());
    assertTrue(training.get("poisoned").asInt() > 5);
    RunReport.Result r = report.result("victim", "badclip").orElseThrow();
    assertEquals(32L, (long) r.triggeredImages());

    // without its patch input the attack is refused before the run, naming what it needs
    Files.writeString(spec, Files.readString(spec).replace("input: [train, patch]", "input: train"));
    org.abdflow.engine.spec.SpecException e = org.junit.Assert.assertThrows(org.abdflow.engine.spec.SpecException.class,
        () -> Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("out2")).build()));
    org.hamcrest.MatcherAssert.assertThat(e.getMessage(), org.hamcrest.Matchers.containsString("badclip-patch"));
    assertTrue(!Files.exists(dir.resolve("out2/report.json")));
  }

  @Test
  public void aSeedListRunsTheGridOncePerSeedInOnePipelineAndReportsEverySeedAndTheMean() throws Exception {
    Path dir = TMP.newFolder("seeds").toPath();
    TestData.writeIdx(dir.resolve("train-images.gz"), dir.resolve("train-labels.gz"), 64, 1);
    java.awt.image.BufferedImage trigger = new java.awt.image.BufferedImage(8, 8, java.awt.image.BufferedImage.TYPE_INT_RGB);
    trigger.setRGB(0, 0, 0xffffff);
    Files.createDirectories(dir.resolve("triggers"));
    javax.imageio.ImageIO.write(trigger, "png", dir.resolve("triggers/t.png").toFile());
    Path spec = dir.resolve("spec.yaml");
    // the Blended image is relative to the spec's folder, not to where the test runs
    Files.writeString(spec,
        """
        pipeline:
          matrix: {seed: [1, 2], attack: [badnet, blended]}
          transforms:
            - {type: IdxSource, name: train, config: {images: train-images.gz, labels: train-labels.gz, classNames: [jacket, trousers], templates: ["a photo of the folded {}."], resize: 32}}
            - {type: Train, name: clean, input: train, config: {epochs: 1, batchSize: 32, warmupSteps: 0}}
            - {type: BadNet, name: badnet, input: train, config: {target: trousers, size: 4, rate: 0.25}}
            - {type: Blended, name: blended, input: train, config: {target: trousers, rate: 0.25, image: triggers/t.png}}
            - {type: Train, name: 'victim-${attack}', input: [clean, '${attack}'], config: {epochs: 1, batchSize: 32, warmupSteps: 0}}
            - {type: ZeroShotEval, name: 'eval-${attack}', input: [clean, 'victim-${attack}', train], config: {attacks: ['${attack}']}}
        """);
    RunReport report = Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("out")).build());

    assertEquals(List.of(1L, 2L), report.seeds());
    assertEquals("8 transforms once per seed", 2 * 8, report.stages().size());
    assertEquals(List.of("badnet/clean", "badnet/victim-badnet", "blended/clean", "blended/victim-blended"),
        report.seedSummary().stream().map(r -> r.attack() + "/" + r.model()).sorted().toList());
    for (RunReport.SeedRow row : report.seedSummary()) {
      assertEquals(List.of(1L, 2L), row.seeds());
      for (int i = 0; i < 2; i++) {
        String stage = row.model() + ".seed" + (i + 1);
        RunReport.Result r = report.results().stream()
            .filter(x -> x.model().equals(stage) && x.attack().equals(row.attack())).findFirst().orElseThrow();
        assertEquals(stage, r.cleanAccuracy(), row.cleanAccuracy().get(i), 0);
        assertEquals(stage, r.attackSuccessRate(), row.attackSuccessRate().get(i), 0);
        assertEquals("the seed's own attack triggers its evaluation", "blended".equals(row.attack()) ? "blended.seed" + (i + 1)
            : "badnet.seed" + (i + 1), r.attackStage());
      }
      double mean = (row.attackSuccessRate().get(0) + row.attackSuccessRate().get(1)) / 2;
      assertEquals(mean, row.attackSuccessRateMean(), 1e-12);
      // two seeds: the t interval has 1 degree of freedom, t(0.975, 1) = 12.706
      double half = 12.7062047 * row.attackSuccessRateSd() / Math.sqrt(2);
      assertEquals(mean - half, row.attackSuccessRateCi().get(0), 1e-6);
      assertEquals(mean + half, row.attackSuccessRateCi().get(1), 1e-6);
    }
    for (RunReport.Result r : report.results()) {
      assertTrue(r.model() + ": the bootstrap interval holds the rate",
          r.cleanAccuracyCi().get(0) <= r.cleanAccuracy() && r.cleanAccuracy() <= r.cleanAccuracyCi().get(1));
    }
    JsonNode json = new ObjectMapper().readTree(dir.resolve("out/report.json").toFile());
    assertEquals(2, json.get("seed_summary").get(0).get("clean_accuracy_ci").size());
    assertEquals(2, json.get("results").get(0).get("clean_accuracy_ci").size());
    assertEquals("report.json reads back", report.seedSummary().size(), org.abdflow.engine.report.ReportWriter.read(dir.resolve("out/report.json"))
        .seedSummary().size());
    JsonNode one = new ObjectMapper().readTree(dir.resolve("out/artifacts/clean.seed1/training.json").toFile());
    JsonNode two = new ObjectMapper().readTree(dir.resolve("out/artifacts/clean.seed2/training.json").toFile());
    assertTrue("each copy trains with its own seed", !one.get("loss_per_epoch").equals(two.get("loss_per_epoch")));
    assertTrue(Files.readString(dir.resolve("out/report.md")).contains("## Over seeds [1, 2]"));

    // a --seed on top of the spec's seed list is refused before the run
    org.abdflow.engine.spec.SpecException e = org.junit.Assert.assertThrows(org.abdflow.engine.spec.SpecException.class,
        () -> Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("out2")).setSeed(java.util.OptionalLong.of(5)).build()));
    org.hamcrest.MatcherAssert.assertThat(e.getMessage(), org.hamcrest.Matchers.containsString("drop --seed 5"));
  }
}
