package org.abdflow.model.adv;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.abdflow.model.ClipConfig;
import org.junit.Test;

public class PatchMaskTest {

  @Test
  public void demoAndAdvClipGeometry() {
    PatchMask demo = AdvPatchOptions.demoBuilder().build().mask(32);
    assertEquals(new PatchMask(32, 24, 24, 6), demo);
    assertEquals(new PatchMask(32, 24, 24, 6), PatchMask.bottomRight(32, 6, 2));
    PatchMask advclip = AdvPatchOptions.builder().build().mask(224);
    assertEquals(new PatchMask(224, 172, 172, 38), advclip);
    assertEquals(38, PatchMask.sideForFraction(224, 0.03));
    assertEquals(new PatchMask(32, 3, 5, 6),
        AdvPatchOptions.demoBuilder().setPatchRow(3).setPatchCol(5).build().mask(32));
    assertTrue(demo.contains(24, 29));
    assertFalse(demo.contains(23, 29));
    assertFalse(demo.contains(24, 30));
    assertThrows(IllegalArgumentException.class, () -> new PatchMask(32, 28, 0, 6));
  }

  @Test
  public void adversarialImageIsThePatchInsideAndTheImageOutside() {
    PatchMask mask = PatchMask.bottomRight(32, 6, 2);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = m.randomNormal(new Shape(3, 3, 32, 32));
      NDArray p = m.randomNormal(new Shape(1, 3, 32, 32));
      float[] adv = mask.apply(x, p).toFloatArray();
      float[] xs = x.toFloatArray();
      float[] ps = p.toFloatArray();
      for (int n = 0; n < 3; n++) {
        for (int c = 0; c < 3; c++) {
          for (int y = 0; y < 32; y++) {
            for (int xx = 0; xx < 32; xx++) {
              int i = ((n * 3 + c) * 32 + y) * 32 + xx;
              float expected = mask.contains(y, xx) ? ps[(c * 32 + y) * 32 + xx] : xs[i];
              assertEquals(expected, adv[i], 0f);
            }
          }
        }
      }
    }
  }

  @Test
  public void clampBoundsHold() {
    ClipConfig tiny = ClipConfig.preset("clip-tiny");
    PatchClamp advclip = PatchClamp.of(AdvPatchOptions.ClampMode.ADVCLIP, tiny.imageMean(), tiny.imageStd());
    assertEquals(-2.1179f, advclip.low().get(1), 1e-4f);
    assertEquals(2.6400f, advclip.high().get(2), 1e-4f);
    PatchClamp clip = PatchClamp.of(AdvPatchOptions.ClampMode.CLIP, ClipConfig.CLIP_MEAN, ClipConfig.CLIP_STD);
    assertEquals(-1.792f, clip.low().get(0), 1e-3f);
    assertEquals(2.146f, clip.high().get(2), 1e-3f);
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray p = m.randomNormal(0, 4, new Shape(1, 3, 32, 32), ai.djl.ndarray.types.DataType.FLOAT32);
      for (PatchClamp c : List.of(advclip, clip)) {
        float[] v = c.apply(p).toFloatArray();
        for (int i = 0; i < v.length; i++) {
          int ch = i / (32 * 32);
          assertThat(v[i], greaterThanOrEqualTo(c.low().get(ch)));
          assertThat(v[i], lessThanOrEqualTo(c.high().get(ch)));
        }
      }
    }
  }

  @Test
  public void optionsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> AdvPatchOptions.builder().setBatchSize(1).build());
    assertThrows(IllegalArgumentException.class, () -> AdvPatchOptions.builder().setTau(0).build());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AdvPatchOptions.builder().setBrightnessMin(1.5).setBrightnessMax(1.0).build());
    assertTrue("the message names the property: " + e.getMessage(), e.getMessage().contains("brightnessMax = 1.0"));
    assertThrows(IllegalArgumentException.class, () -> AdvPatchOptions.builder().setPatchRow(3).build());
    assertThrows(IllegalArgumentException.class, () -> AdvPatchOptions.builder().setBeta1(1).build());
    AdvPatchOptions o = AdvPatchOptions.builder().build();
    assertEquals(AdvPatchOptions.BdSign.SEPARATE, o.bdSign());
    assertEquals(AdvPatchOptions.AdvEncoder.ORIGIN, o.advEncoder());
    assertEquals(10, o.mu(), 0);
    assertEquals(0.01, o.dClip(), 0);
    PatchLossTerms t = new PatchLossTerms(1, 0.7, -2, 0.01, -0.5, 0.25, 0);
    assertEquals(10 * -2 + -0.5 - 10 * 0.25, t.attack(o), 1e-12);
    assertEquals(10 * -2 + -0.5 + 10 * 0.25, t.attack(o.toBuilder().setBdSign(AdvPatchOptions.BdSign.ALIGN).build()),
        1e-12);
    assertEquals(10 * -2 + -0.5, t.attack(o.toBuilder().setBdSign(AdvPatchOptions.BdSign.OFF).build()), 1e-12);
  }
}
