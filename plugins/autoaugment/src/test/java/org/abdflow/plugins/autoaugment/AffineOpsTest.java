package org.abdflow.plugins.autoaugment;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.util.SplittableRandom;
import org.junit.Test;

public class AffineOpsTest {

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  /** A grey image whose values name their position: 1 + y * w + x. */
  private static byte[] positions(int h, int w) {
    byte[] b = new byte[h * w];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (i + 1);
    }
    return b;
  }

  private static int at(byte[] img, int w, int y, int x) {
    return img[y * w + x] & 0xff;
  }

  @Test
  public void rotationByZeroIsTheIdentity() {
    byte[] in = random(5 * 7 * 3, 1);
    byte[] out = new byte[in.length];
    AffineOps.rotate(in, out, 5, 7, 3, 0.0);
    assertArrayEquals(in, out);
  }

  @Test
  public void rotationBy90IsAQuarterTurnCounterClockwise() {
    for (int n : new int[] {4, 5}) {
      byte[] in = positions(n, n);
      byte[] out = new byte[in.length];
      AffineOps.rotate(in, out, n, n, 1, 90.0);
      for (int y = 0; y < n; y++) {
        for (int x = 0; x < n; x++) {
          // the right column becomes the top row
          assertThat("n=" + n + " at " + y + "," + x, at(out, n, y, x), is(at(in, n, x, n - 1 - y)));
        }
      }
    }
  }

  @Test
  public void rotationLeavesTheCentreAndBlanksTheCorners() {
    int n = 9;
    byte[] in = new byte[n * n];
    java.util.Arrays.fill(in, (byte) 200);
    byte[] out = new byte[in.length];
    AffineOps.rotate(in, out, n, n, 1, 30.0);
    assertThat(at(out, n, 4, 4), is(200));
    assertThat(at(out, n, 0, 0), is(0));
    assertThat(at(out, n, 8, 8), is(0));
    assertThat(at(out, n, 4, 0), is(200));
  }

  @Test
  public void translateShiftsAndFillsWithZero() {
    int h = 3;
    int w = 5;
    byte[] in = positions(h, w);
    byte[] out = new byte[in.length];
    AffineOps.translate(in, out, h, w, 1, 2, 0);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        assertThat(at(out, w, y, x), is(x < 2 ? 0 : at(in, w, y, x - 2)));
      }
    }
    AffineOps.translate(in, out, h, w, 1, 0, -1);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        assertThat(at(out, w, y, x), is(y == h - 1 ? 0 : at(in, w, y + 1, x)));
      }
    }
  }

  @Test
  public void translateMovesAllChannelsOfAPixelTogether() {
    byte[] in = random(4 * 4 * 3, 2);
    byte[] out = new byte[in.length];
    AffineOps.translate(in, out, 4, 4, 3, -1, 1);
    for (int y = 1; y < 4; y++) {
      for (int x = 0; x < 3; x++) {
        for (int c = 0; c < 3; c++) {
          assertThat(out[(y * 4 + x) * 3 + c], is(in[((y - 1) * 4 + x + 1) * 3 + c]));
        }
      }
    }
  }

  @Test
  public void translationMagnitudesAre150Over331OfTheSide() {
    assertEquals(150.0, Op.TRANSLATE_X.magnitude(9, 10, 331), 1e-4);
    assertEquals(150.0 / 331.0 * 32 * 4 / 9, Op.TRANSLATE_X.magnitude(4, 224, 32), 1e-4);
    assertEquals(150.0 / 331.0 * 224, Op.TRANSLATE_Y.magnitude(9, 224, 32), 1e-4);
    assertEquals(30.0, Op.ROTATE.magnitude(9, 32, 32), 0.0);
    assertEquals(0.3 * 5 / 9, Op.SHEAR_X.magnitude(5, 32, 32), 1e-6);
    assertEquals(0.9 * 8 / 9, Op.CONTRAST.magnitude(8, 32, 32), 1e-6);
  }

  @Test
  public void shearXShiftsEachRowByItsDistanceFromTheTop() {
    int h = 4;
    int w = 6;
    byte[] in = positions(h, w);
    byte[] out = new byte[in.length];
    // the source column is x + 0.5 (y + 0.5): shifts 0.25, 0.75, 1.25, 1.75 round to 0, 1, 1, 2
    int[] shift = {0, 1, 1, 2};
    AffineOps.shearX(in, out, h, w, 1, 0.5);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int sx = x + shift[y];
        assertThat("at " + y + "," + x, at(out, w, y, x), is(sx < w ? at(in, w, y, sx) : 0));
      }
    }
    AffineOps.shearX(in, out, h, w, 1, -0.5);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int sx = x - shift[y];
        assertThat("at " + y + "," + x, at(out, w, y, x), is(sx >= 0 ? at(in, w, y, sx) : 0));
      }
    }
  }

  @Test
  public void shearYShiftsEachColumnByItsDistanceFromTheLeft() {
    int h = 6;
    int w = 4;
    byte[] in = positions(h, w);
    byte[] out = new byte[in.length];
    int[] shift = {0, 1, 1, 2};
    AffineOps.shearY(in, out, h, w, 1, 0.5);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int sy = y + shift[x];
        assertThat("at " + y + "," + x, at(out, w, y, x), is(sy < h ? at(in, w, sy, x) : 0));
      }
    }
  }

  @Test
  public void shearByZeroIsTheIdentity() {
    byte[] in = random(6 * 5 * 3, 3);
    byte[] out = new byte[in.length];
    AffineOps.shearX(in, out, 6, 5, 3, 0.0);
    assertArrayEquals(in, out);
    AffineOps.shearY(in, out, 6, 5, 3, 0.0);
    assertArrayEquals(in, out);
  }
}
