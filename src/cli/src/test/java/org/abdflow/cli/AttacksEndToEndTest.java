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
}
