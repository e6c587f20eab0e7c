package org.abdflow.cli;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abdflow.engine.Abdflow;
import org.abdflow.engine.RunRequest;
import org.abdflow.engine.report.RunReport;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A defense written as a recipe in the spec, not engine code: an augmenter stage (EDA, from its
 * plugin JAR) gives every record a caption view, and a training stage sums the CLIP loss and
 * CleanCLIP's unimodal loss, which reads the views.
 */
public class DefenseRecipeEndToEndTest {
  @ClassRule public static final TemporaryFolder TMP = new TemporaryFolder();

  @Test
  public void augmenterViewsReachTheUnimodalLoss() throws Exception {
    Path dir = TMP.getRoot().toPath();
    TestData.writeIdx(dir.resolve("train-images.gz"), dir.resolve("train-labels.gz"), 64, 1);
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec,
        """
        pipeline:
          seed: 5
          transforms:
            - {type: IdxSource, name: train, config: {images: train-images.gz, labels: train-labels.gz, classNames: [jacket, trousers], templates: ["a photo of the folded {}."], resize: 32}}
            - {type: Eda, name: eda, input: train}
            - {type: Train, name: clean, input: train, config: {epochs: 1, batchSize: 32, warmupSteps: 0}}
            - {type: Train, name: cleanclip, input: [clean, eda], config: {epochs: 2, batchSize: 32, warmupSteps: 0, losses: [ClipLoss, UniModalLoss], defense: cleanclip}}
        """);
    RunReport report = Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("out")).build());

    RunReport.Stage eda = report.stages().stream().filter(s -> s.name().equals("eda")).findFirst().orElseThrow();
    assertEquals(64, eda.recordsIn());
    assertEquals(64, eda.recordsOut());
    JsonNode training = new ObjectMapper().readTree(dir.resolve("out/artifacts/cleanclip/training.json").toFile());
    assertEquals(64, training.get("augmented").asInt());
    List<String> views = new ArrayList<>();
    training.get("views").forEach(v -> views.add(v.asText()));
    assertThat(views, contains("image-aug", "text-aug"));
    assertEquals(0, training.get("recomputed_steps").asInt());
    for (JsonNode l : training.get("loss_per_epoch")) {
      assertTrue(Double.isFinite(l.asDouble()));
    }
    // a stage whose losses read no view encodes none
    JsonNode clean = new ObjectMapper().readTree(dir.resolve("out/artifacts/clean/training.json").toFile());
    assertThat(clean.get("views").size(), org.hamcrest.Matchers.is(0));
    assertThat(training.get("loss_per_epoch").get(0).asDouble(), greaterThan(0.0));
  }

  @Test
  public void abdRecipeMakesAPatchPastesItAndFineTunesOnTheViews() throws Exception {
    Path dir = TMP.newFolder("abd").toPath();
    TestData.writeIdx(dir.resolve("train-images.gz"), dir.resolve("train-labels.gz"), 64, 1);
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec,
        """
        pipeline:
          seed: 9
          transforms:
            - {type: IdxSource, name: train, config: {images: train-images.gz, labels: train-labels.gz, classNames: [jacket, trousers], templates: ["a photo of the folded {}."], resize: 32}}
            - {type: Train, name: clean, input: train, config: {epochs: 2, batchSize: 32, warmupSteps: 0}}
            - {type: BadNet, name: poisoned, input: train, config: {target: trousers, size: 4, rate: 0.25}}
            - {type: Train, name: victim, input: [clean, poisoned], config: {epochs: 1, batchSize: 32, warmupSteps: 0}}
            - {type: AdvClipPatch, name: abd-patch, input: [victim, clean, train], config: {epochs: 1, batchSize: 16, patchSide: 6, margin: 2}}
            - {type: ImageTextSimilarity, name: fig2, input: [victim, train, abd-patch], config: {attack: poisoned, images: 20}}
            - {type: PastePatch, name: adv, input: [train, abd-patch]}
            - {type: Eda, name: adv-eda, input: adv}
            - {type: Train, name: abd, input: [victim, adv-eda], config: {epochs: 1, batchSize: 32, warmupSteps: 0, losses: [ClipLoss, UniModalLoss], defense: abd}}
        """);
    RunReport report = Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("out")).build());

    Path patch = dir.resolve("out/artifacts/abd-patch/adv-patch");
    for (String f : List.of("patch.f32", "patch.json", "patch.png")) {
      assertTrue(f, Files.isRegularFile(patch.resolve(f)));
    }
    org.abdflow.model.adv.AdvPatch p = org.abdflow.model.adv.AdvPatch.load(patch);
    assertEquals(6, p.mask().side());
    assertEquals(new org.abdflow.model.adv.PatchMask(32, 24, 24, 6), p.mask());
    JsonNode patchTraining = new ObjectMapper().readTree(dir.resolve("out/artifacts/abd-patch/generation.json").toFile());
    assertEquals(1, patchTraining.get("epochs").size());
    RunReport.Stage adv = report.stages().stream().filter(s -> s.name().equals("adv")).findFirst().orElseThrow();
    assertEquals(64, adv.recordsOut());
    JsonNode training = new ObjectMapper().readTree(dir.resolve("out/artifacts/abd/training.json").toFile());
    assertEquals(64, training.get("augmented").asInt());
    assertEquals(0, training.get("recomputed_steps").asInt());
    assertTrue(report.training().containsKey("abd"));

    // Figure 2: the seven pairs, measured on 20 jacket images (the target's class left out)
    RunReport.Similarity sim = report.similarities().get(0);
    assertEquals("victim", sim.model());
    assertEquals("a photo of a trousers.", sim.targetCaption());
    assertEquals(20, sim.images());
    assertThat(sim.values().keySet(), org.hamcrest.Matchers.containsInAnyOrder("clean_vs_own_caption", "clean_vs_target_caption", "triggered_vs_target_caption",
        "triggered_vs_own_caption", "patched_vs_own_caption", "patched_vs_target_caption", "patched_vs_unrelated_caption"));
    for (double v : sim.values().values()) {
      assertTrue(v >= -100 && v <= 100);
    }
    org.junit.Assert.assertNotEquals(sim.values().get("clean_vs_own_caption"), sim.values().get("patched_vs_own_caption"), 0.0);
    // this spec evaluates nothing: no CA/ASR chart is drawn
    assertTrue(report.results().isEmpty());
    assertTrue(!Files.exists(dir.resolve("out/ca-asr.png")));
    assertTrue(Files.isRegularFile(dir.resolve("out/patch-abd-patch.png")));
    assertTrue(Files.readString(dir.resolve("out/report.md")).contains("Figure 2 view"));
  }

  @Test
  public void roclipRepairsFromItsBankOnAugmentedViewsAndCrossModalAbdPairsTheViews() throws Exception {
    Path dir = TMP.newFolder("roclip").toPath();
    TestData.writeIdx(dir.resolve("train-images.gz"), dir.resolve("train-labels.gz"), 64, 1);
    Path spec = dir.resolve("spec.yaml");
    Files.writeString(spec,
        """
        pipeline:
          seed: 4
          transforms:
            - {type: IdxSource, name: train, config: {images: train-images.gz, labels: train-labels.gz, classNames: [jacket, trousers], templates: ["a photo of the folded {}."], resize: 32}}
            - {type: AutoAugment, name: aa, input: train}
            - {type: Eda, name: aa-eda, input: aa}
            - {type: Train, name: clean, input: train, config: {epochs: 1, batchSize: 32, warmupSteps: 0}}
            - {type: Train, name: roclip, input: [clean, aa-eda], config: {epochs: 2, batchSize: 32, warmupSteps: 0, losses: [{type: RoClipLoss, config: {bankSize: 48}}], defense: roclip}}
            - type: Train
              name: cross
              input: [clean, aa-eda]
              config: {epochs: 1, batchSize: 32, warmupSteps: 0, defense: abd-cross, losses: [ClipLoss, {type: ClipLoss, config: {pairs: views, weight: 0.5}}]}
        """);
    Abdflow.run(RunRequest.builder().setSpec(spec).setOutput(dir.resolve("out")).build());

    ObjectMapper json = new ObjectMapper();
    JsonNode roclip = json.readTree(dir.resolve("out/artifacts/roclip/training.json").toFile());
    assertEquals(false, roclip.get("reads_originals").asBoolean());
    assertEquals(2, roclip.get("loss_per_epoch").size());
    assertEquals(0, roclip.get("recomputed_steps").asInt());
    for (JsonNode l : roclip.get("loss_per_epoch")) {
      assertTrue(Double.isFinite(l.asDouble()) && l.asDouble() > 0);
    }
    JsonNode cross = json.readTree(dir.resolve("out/artifacts/cross/training.json").toFile());
    assertEquals(true, cross.get("reads_originals").asBoolean());
    List<String> views = new ArrayList<>();
    cross.get("views").forEach(v -> views.add(v.asText()));
    assertThat(views, contains("image-aug", "text-aug"));
  }
}
