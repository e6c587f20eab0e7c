package org.abdflow.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.abdflow.api.PromptTemplates;
import org.abdflow.model.text.Tokenizer;
import org.abdflow.model.text.WordTokenizer;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ClipModelTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  static WordTokenizer tokenizer() {
    List<String> texts = new ArrayList<>();
    for (String c : Synthetic.CLASSES) {
      for (String t : PromptTemplates.SIMPLE) {
        texts.add(PromptTemplates.fill(t, c));
      }
    }
    return WordTokenizer.build(texts, 16);
  }

  @Test
  public void towersHaveTheConfiguredShapes() {
    for (String preset : List.of("clip-tiny", "clip-tiny-vit")) {
      try (ClipModel model = ClipModel.create(ClipConfig.preset(preset), tokenizer(), 1);
          NDManager m = NDManager.newBaseManager();
          Autograd off = Autograd.disabled()) {
        NDArray pixels = m.randomNormal(new Shape(5, 3, 32, 32));
        NDArray ids = tokenizer().encode(m, List.of("a photo of a ring.", "a", "", "ring ring", "x y z"));
        assertEquals(preset, new Shape(5, 64), model.encodeImages(pixels, false).getShape());
        assertEquals(preset, new Shape(5, 64), model.encodeImages(pixels, true).getShape());
        assertEquals(preset, new Shape(5, 64), model.encodeTexts(ids, false).getShape());
        assertEquals((float) Math.log(1 / 0.07), model.logitScaleValue(), 1e-6f);
        assertEquals(new Shape(5, 64), model.block().getOutputShapes(new Shape[] {new Shape(5, 3, 32, 32), new Shape(5, 16)})[0]);
      }
    }
  }

  @Test
  public void tinyPresetHasTheSizeOfTheExperiments() {
    try (ClipModel model = ClipModel.create(ClipConfig.preset("clip-tiny"), tokenizer(), 1)) {
      // EXPERIMENTS.md: 1.44 M parameters with an ~80-word vocabulary
      assertThat(model.parameterCount(), allOf(greaterThan(1_400_000L), lessThan(1_460_000L)));
      assertThat(model.stateDict().keySet(), hasItem("visual.layer1.0.downsample.1.running_var"));
      assertThat(model.stateDict().keySet(), hasItem("transformer.resblocks.1.attn.in_proj_weight"));
      assertThat(model.stateDict().keySet(), hasItem("visual.attnpool.positional_embedding"));
    }
  }

  @Test
  public void textIsPooledAtTheEndToken() {
    Tokenizer tok = tokenizer();
    try (ClipModel model = ClipModel.create(ClipConfig.preset("clip-tiny"), tok, 2);
        NDManager m = NDManager.newBaseManager();
        Autograd off = Autograd.disabled()) {
      int[] ids = tok.encode("a photo of a ring.");
      int end = indexOf(ids, tok.endToken());
      int[] changedAfter = ids.clone();
      changedAfter[end + 1] = 5;
      changedAfter[ids.length - 1] = 7;
      int[] changedBefore = ids.clone();
      changedBefore[end - 1] = 5;
      NDArray out = model.encodeTexts(m.create(new int[][] {ids, changedAfter, changedBefore}), false);
      float[] a = out.get(0).toFloatArray();
      assertArrayEquals(a, out.get(1).toFloatArray(), 1e-6f);
      assertThat(ConformanceTest.maxAbsDiff(out.get(0), out.get(2)), greaterThan(1e-4f));
    }
  }

  private static int indexOf(int[] a, int v) {
    for (int i = 0; i < a.length; i++) {
      if (a[i] == v) {
        return i;
      }
    }
    throw new AssertionError(v + " not found");
  }

  @Test
  public void sameSeedSameWeightsOtherSeedOthers() {
    try (ClipModel a = ClipModel.create(ClipConfig.preset("clip-tiny"), tokenizer(), 3);
        ClipModel b = ClipModel.create(ClipConfig.preset("clip-tiny"), tokenizer(), 3);
        ClipModel c = ClipModel.create(ClipConfig.preset("clip-tiny"), tokenizer(), 4)) {
      String k = "visual.layer2.0.conv2.weight";
      assertArrayEquals(a.stateDict().get(k).array().toFloatArray(), b.stateDict().get(k).array().toFloatArray(), 0f);
      assertFalse(a.stateDict().get(k).array().contentEquals(c.stateDict().get(k).array()));
    }
  }

  @Test
  public void saveThenLoadGivesIdenticalOutputs() throws Exception {
    for (String preset : List.of("clip-tiny", "clip-tiny-vit")) {
      Path dir = tmp.getRoot().toPath().resolve("ckpt-" + preset.replace('/', '_'));
      try (ClipModel model = ClipModel.create(ClipConfig.preset(preset), tokenizer(), 5);
          NDManager m = NDManager.newBaseManager();
          Autograd off = Autograd.disabled()) {
        model.save(dir);
        model.save(dir); // replacing an existing checkpoint works too
        NDArray pixels = m.randomNormal(new Shape(3, 3, 32, 32));
        NDArray ids = tokenizer().encode(m, List.of("a photo of a ring.", "a dark photo of the square.", "stripe"));
        try (ClipModel loaded = ClipModel.load(dir); ClipModel copy = model.copy()) {
          assertEquals(model.config(), loaded.config());
          assertEquals(model.tokenizer(), loaded.tokenizer());
          for (ClipModel other : List.of(loaded, copy)) {
            assertArrayEquals(model.encodeImages(pixels, false).toFloatArray(), other.encodeImages(pixels, false).toFloatArray(), 0f);
            assertArrayEquals(model.encodeTexts(ids, false).toFloatArray(), other.encodeTexts(ids, false).toFloatArray(), 0f);
            assertEquals(model.logitScaleValue(), other.logitScaleValue(), 0f);
          }
        }
      }
      try (var files = Files.list(dir.getParent())) {
        assertTrue("no temporary folders left", files.noneMatch(p -> p.getFileName().toString().startsWith(".")));
      }
    }
  }

  @Test
  public void inferenceRecordsNoGraphAndLeavesNothingOnTheModelManager() {
    try (ClipModel model = ClipModel.create(ClipConfig.preset("clip-tiny"), tokenizer(), 6);
        NDManager m = NDManager.newBaseManager()) {
      int before = model.manager().getManagedArrays().size();
      // grad mode is on by default in threads DJL did not start; parameters need no gradient
      try (Autograd on = Autograd.enabled()) {
        NDArray out = model.encodeImages(m.randomNormal(new Shape(2, 3, 32, 32)), false);
        assertFalse(out.hasGradient());
      }
      assertEquals(before, model.manager().getManagedArrays().size());
      assertThat(model.stateDict().get("logit_scale").array().hasGradient(), not(true));
    }
  }
}
