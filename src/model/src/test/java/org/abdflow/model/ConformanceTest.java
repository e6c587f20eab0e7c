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

  private static void check(String name) throws Exception {
    assumeTrue("conformance data at " + DIR, Files.isDirectory(DIR));
    ClipConfig config = ClipConfig.read(DIR.resolve(name + ".json"));
    try (ClipModel model = ClipModel.fromStateDict(config, null, DIR.resolve(name + ".safetensors"));
        NDManager m = NDManager.newBaseManager();
        Autograd off = Autograd.disabled()) {
      Map<String, NDArray> io = SafeTensors.read(m, DIR.resolve(name + "-io.safetensors"));
      NDArray image = model.encodeImages(io.get("image"), false);
      NDArray text = model.encodeTexts(io.get("text"), false);
      assertArrayEquals(io.get("image_features").getShape().getShape(), image.getShape().getShape());
      assertThat(maxAbsDiff(image, io.get("image_features")), lessThan(1e-4f));
      assertThat(maxAbsDiff(text, io.get("text_features")), lessThan(1e-4f));
      NDArray logits = image.normalize().matMul(text.normalize().transpose()).mul(Math.exp(model.logitScaleValue()));
      assertThat(maxAbsDiff(logits, io.get("logits_per_image")), lessThan(1e-3f));
    }
  }

  static float maxAbsDiff(NDArray a, NDArray b) {
    return a.sub(b).abs().max().getFloat();
  }
}
