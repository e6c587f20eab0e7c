package org.abdflow.model.adv;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.greaterThan;
import static org.junit.Assert.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.abdflow.model.Autograd;
import org.junit.Test;

public class PatchNetworksTest {

  @Test
  public void presetsMatchTheDemoAndAdvClip() {
    PatchGanShape s32 = PatchGanShape.forResolution(32);
    assertEquals(3, s32.layers());
    assertEquals(List.of(256, 128, 64), List.of(s32.generatorWidth(0), s32.generatorWidth(1), s32.generatorWidth(2)));
    assertEquals(List.of(64, 128, 256),
        List.of(s32.discriminatorWidth(0), s32.discriminatorWidth(1), s32.discriminatorWidth(2)));
    assertEquals(16, s32.hiddenSide());
    assertEquals(List.of(2, 1, 0), List.of(s32.outputStride(), s32.outputPadding(), s32.outputExtra()));
    assertEquals(4, s32.discriminatorOutputKernel());

    PatchGanShape s224 = PatchGanShape.forResolution(224);
    assertEquals(4, s224.layers());
    assertEquals(1024, s224.generatorWidth(0));
    assertEquals(128, s224.generatorWidth(3));
    assertEquals(1024, s224.discriminatorWidth(3));
    assertEquals(List.of(8, 14, 0), List.of(s224.outputStride(), s224.outputPadding(), s224.outputExtra()));
    assertEquals(14, s224.discriminatorOutputKernel());
  }

  @Test
  public void everyResolutionGetsAnExactOutputSide() {
    for (int r = 8; r <= 256; r++) {
      PatchGanShape s = PatchGanShape.of(r, 4);
      int out = (s.hiddenSide() - 1) * s.outputStride() - 2 * s.outputPadding() + PatchGanShape.KERNEL
          + s.outputExtra();
      assertEquals("resolution " + r, r, out);
      assertThat("resolution " + r, s.outputExtra(), lessThan(s.outputStride()));
    }
  }

  @Test
  public void generatorAndDiscriminatorShapesAt32Px() {
    PatchGanShape shape = PatchGanShape.forResolution(32);
    try (NDManager m = NDManager.newBaseManager(); Autograd off = Autograd.disabled()) {
      PatchGenerator g = new PatchGenerator(shape, 16);
      PatchDiscriminator d = new PatchDiscriminator(shape);
      g.initialize(m, 1L);
      d.initialize(m, 2L);
      ParameterStore ps = new ParameterStore(m, false);
      NDArray p = g.forward(ps, m.randomNormal(new Shape(16, PatchGenerator.NOISE_DIM, 1, 1)), true);
      assertEquals(new Shape(1, 3, 32, 32), p.getShape());
      NDArray prob = d.forward(ps, m.randomNormal(new Shape(5, 3, 32, 32)), true);
      assertEquals(new Shape(5), prob.getShape());
      for (float v : prob.toFloatArray()) {
        assertThat(v, greaterThan(0f));
        assertThat(v, lessThan(1f));
      }
      assertThat(g.stateDict().keySet(), hasItems("hidden_layer.deconv1.weight", "hidden_layer.bn3.running_var",
          "output_layer.out.bias", "residual_layer.res.weight"));
      assertThat(d.stateDict().keySet(), hasItems("hidden_layer.conv1.weight", "hidden_layer.bn2.weight",
          "output_layer.out.weight"));
      assertEquals(new Shape(1, 256, 4, 4), d.stateDict().get("output_layer.out.weight").shape());
      assertEquals(new Shape(1, 16, 3, 3), g.stateDict().get("residual_layer.res.weight").shape());
      // DCGAN's initialisation
      float[] w = g.stateDict().get("hidden_layer.deconv2.weight").array().toFloatArray();
      double sq = 0;
      for (float v : w) {
        sq += v * (double) v;
      }
      assertThat(Math.sqrt(sq / w.length), closeTo(0.02, 0.001));
      assertEquals(0f, g.stateDict().get("hidden_layer.deconv2.bias").array().abs().sum().getFloat(), 0f);
      assertEquals(1f, g.stateDict().get("hidden_layer.bn1.weight").array().mean().getFloat(), 0f);
    }
  }

  @Test
  public void generatorAt224PxGivesOneFullSizeMap() {
    try (NDManager m = NDManager.newBaseManager(); Autograd off = Autograd.disabled()) {
      PatchGenerator g = new PatchGenerator(PatchGanShape.forResolution(224), 2);
      g.initialize(m, 1L);
      NDArray p = g.forward(new ParameterStore(m, false), m.randomNormal(new Shape(2, PatchGenerator.NOISE_DIM, 1, 1)),
          true);
      assertEquals(new Shape(1, 3, 224, 224), p.getShape());
    }
  }
}
