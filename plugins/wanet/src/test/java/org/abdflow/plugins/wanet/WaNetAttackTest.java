package org.abdflow.plugins.wanet;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.lessThan;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import java.util.Map;
import java.util.SplittableRandom;
import org.abdflow.api.image.Image;
import org.junit.Test;

public class WaNetAttackTest {
  private final WaNetAttack attack = new WaNetAttack();

  private WaNetConfig config(Map<String, Object> values) {
    return attack.configure(attack.configSchema().parse(values));
  }

  private static Image texture(int h, int w, int c) {
    byte[] px = new byte[h * w * c];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int ch = 0; ch < c; ch++) {
          px[(y * w + x) * c + ch] = (byte) (((x / 3 + y / 3) % 2) * 200 + ch * 20);
        }
      }
    }
    return Image.wrap(h, w, c, px);
  }

  @Test
  public void atZeroStrengthTheWarpIsTheIdentity() {
    Image in = texture(32, 32, 3);
    assertEquals(in, attack.trigger(in, config(Map.of("target", "bag", "strength", 0.0)), new SplittableRandom(1)));
  }

  @Test
  public void theWarpIsFixedSmoothAndMovesPixelsByAFewAtMost() {
    WaNetConfig c = config(Map.of("target", "bag", "strength", 4.0));
    Image in = texture(32, 32, 1);
    Image a = attack.trigger(in, c, new SplittableRandom(1));
    assertNotEquals(in, a);
    assertEquals("one warp for every image", a, attack.trigger(in, c, new SplittableRandom(2)));
    WarpGrid g = attack.grid(c, 32, 32);
    double maxShift = 0;
    double maxStep = 0;
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        double dx = offset(g, y, x, 0);
        maxShift = Math.max(maxShift, Math.abs(dx) * 31 / 2);
        if (x > 0) {
          maxStep = Math.max(maxStep, Math.abs(dx - offset(g, y, x - 1, 0)) * 31 / 2);
        }
        if (y > 0) {
          maxStep = Math.max(maxStep, Math.abs(offset(g, y, x, 1) - offset(g, y - 1, x, 1)) * 31 / 2);
        }
      }
    }
    // offsets of up to a few pixels that change by a fraction of a pixel between neighbours
    assertThat(maxShift, greaterThan(0.2));
    assertThat(maxShift, lessThan(8.0));
    assertThat(maxStep, lessThan(maxShift / 3));
    // a per-pixel noise grid (the BadCLIP file's k = image size) is not smooth
    WarpGrid rough = attack.grid(config(Map.of("target", "bag", "strength", 4.0, "gridSize", 32)), 32, 32);
    double roughStep = 0;
    for (int x = 1; x < 32; x++) {
      roughStep = Math.max(roughStep, Math.abs(offset(rough, 10, x, 0) - offset(rough, 10, x - 1, 0)) * 31 / 2);
    }
    assertThat(roughStep, greaterThan(maxStep));
  }

  /** The grid's displacement from the identity at (y, x), in normalised units. */
  private static double offset(WarpGrid g, int y, int x, int plane) {
    double identity = plane == 0 ? WarpGrid.linspace(x, g.width) : WarpGrid.linspace(y, g.height);
    return g.grid[(y * g.width + x) * 2 + plane] - identity;
  }

  @Test
  public void bicubicWithAlignedCornersKeepsTheCornersAndConstants() {
    double[] src = {1, 2, 3, 4};
    double[] up = WarpGrid.bicubic(src, 2, 2, 5, 5);
    assertEquals(1, up[0], 1e-12);
    assertEquals(2, up[4], 1e-12);
    assertEquals(3, up[20], 1e-12);
    assertEquals(4, up[24], 1e-12);
    double[] flat = WarpGrid.bicubic(new double[] {7, 7, 7, 7, 7, 7, 7, 7, 7}, 3, 3, 8, 8);
    for (double v : flat) {
      assertEquals(7, v, 1e-12);
    }
  }
}
