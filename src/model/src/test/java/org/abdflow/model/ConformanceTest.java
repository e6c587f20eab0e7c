package org.abdflow.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assume.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.Test;

/**
 * The Java port against tiny random CLIPs in OpenAI's architecture and key names, with outputs from
 * an independent PyTorch implementation (shared/clip/conformance).
 */
public class ConformanceTest {
  static final Path DIR =
      Paths.get(System.getProperty("abdflow.root", "../.."), "..", "shared", "clip", "conformance").normalize();

  @Test
  public void resNetMatchesPyTorch() throws Exception {
    check("rn-tiny");
  }

  @Test
  public void vitMatchesPyTorch() throws Exception {
    check("vit-tiny");
  }

  @Test
  public void vitFromHuggingFaceKeyNamesMatchesPyTorch() throws Exception {
    assumeTrue("conformance data at " + DIR, Files.isDirectory(DIR));
    Path hf = Files.createTempFile("vit-tiny-hf", ".safetensors");
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> openAi = SafeTensors.read(m, DIR.resolve("vit-tiny.safetensors"));
      SafeTensors.write(hf, HuggingFaceNames.of(openAi));
      check("vit-tiny", hf);
    } finally {
      Files.deleteIfExists(hf);
    }
  }

  @Test
  public void everyMissingUnexpectedAndWronglyShapedTensorIsNamedWithItsShapes() throws Exception {
    assumeTrue("conformance data at " + DIR, Files.isDirectory(DIR));
    Path broken = Files.createTempFile("rn-tiny-broken", ".safetensors");
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> state = new java.util.LinkedHashMap<>(SafeTensors.read(m, DIR.resolve("rn-tiny.safetensors")));
      state.remove("ln_final.bias");
      state.put("visual.conv1.weight", m.zeros(new ai.djl.ndarray.types.Shape(2, 3, 3, 3)));
      state.put("visual.extra", m.zeros(new ai.djl.ndarray.types.Shape(4)));
      SafeTensors.write(broken, state);
      IllegalArgumentException e = org.junit.Assert.assertThrows(IllegalArgumentException.class,
          () -> ClipModel.fromStateDict(ClipConfig.read(DIR.resolve("rn-tiny.json")), null, broken));
      assertThat(e.getMessage(), org.hamcrest.Matchers.containsString("visual.conv1.weight: the model's is ("));
      assertThat(e.getMessage(), org.hamcrest.Matchers.containsString("the file's (2, 3, 3, 3)"));
      assertThat(e.getMessage(), org.hamcrest.Matchers.containsString("missing (1): ln_final.bias"));
      assertThat(e.getMessage(), org.hamcrest.Matchers.containsString("unexpected (1): visual.extra (4)"));
    } finally {
      Files.deleteIfExists(broken);
    }
  }

  @Test
  public void savingWritesOpenAisKeysThatLoadBackToTheSameOutputs() throws Exception {
    assumeTrue("conformance data at " + DIR, Files.isDirectory(DIR));
    Path saved = Files.createTempFile("rn-tiny-saved", ".safetensors");
    try (ClipModel model = ClipModel.fromStateDict(ClipConfig.read(DIR.resolve("rn-tiny.json")), null, DIR.resolve("rn-tiny.safetensors"));
        NDManager m = NDManager.newBaseManager()) {
      model.saveStateDict(saved);
      assertThat(new java.util.TreeSet<>(SafeTensors.read(m, saved).keySet()).toString(),
          org.hamcrest.Matchers.equalTo(new java.util.TreeSet<>(withoutCounters(SafeTensors.read(m, DIR.resolve("rn-tiny.safetensors")).keySet())).toString()));
      check("rn-tiny", saved);
    } finally {
      Files.deleteIfExists(saved);
    }
  }

  private static java.util.Set<String> withoutCounters(java.util.Set<String> keys) {
    java.util.Set<String> out = new java.util.TreeSet<>(keys);
    out.removeIf(k -> k.endsWith("num_batches_tracked"));
    return out;
  }

  private static void check(String name) throws Exception {
    assumeTrue("conformance data at " + DIR, Files.isDirectory(DIR));
    check(name, DIR.resolve(name + ".safetensors"));
  }

  private static void check(String name, Path weights) throws Exception {
    ClipConfig config = ClipConfig.read(DIR.resolve(name + ".json"));
    try (ClipModel model = ClipModel.fromStateDict(config, null, weights);
        NDManager m = NDManager.newBaseManager();
        Autograd off = Autograd.disabled()) {
      Map<String, NDArray> io = SafeTensors.read(m, DIR.resolve(name + "-io.safetensors"));
      NDArray image = model.encodeImages(io.get("image"), false);
      NDArray text = model.encodeTexts(io.get("text"), false);
      assertArrayEquals(io.get("image_features").getShape().getShape(), image.getShape().getShape());
      assertThat(maxAbsDiff(image, io.get("image_features")), lessThan(1e-4f));
      assertThat(maxAbsDiff(text, io.get("text_features")), lessThan(1e-4f));
      NDArray logits = image.normalize().matMul(text.normalize().transpose()).mul(Math.exp(model.logitScaleValue()));
      assertThat(maxAbsDiff(logits, io.get("logits_per_image")), lessThan(1e-4f));
    }
  }

  static float maxAbsDiff(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }
}
