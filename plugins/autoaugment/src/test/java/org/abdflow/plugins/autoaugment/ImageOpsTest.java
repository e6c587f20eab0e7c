package org.abdflow.plugins.autoaugment;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.util.SplittableRandom;
import org.junit.Test;

public class ImageOpsTest {

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static int[] ints(byte[] b) {
    int[] v = new int[b.length];
    for (int i = 0; i < b.length; i++) {
      v[i] = b[i] & 0xff;
    }
    return v;
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new SplittableRandom(seed).nextBytes(b);
    return b;
  }

  @Test
  public void invertSubtractsFrom255() {
    byte[] out = new byte[4];
    ImageOps.invert(bytes(0, 1, 128, 255), out);
    assertArrayEquals(new int[] {255, 254, 127, 0}, ints(out));
  }

  @Test
  public void solarizeInvertsValuesAtOrAboveTheThreshold() {
    byte[] in = bytes(0, 127, 128, 200, 255);
    byte[] out = new byte[5];
    ImageOps.solarize(in, out, 128f);
    assertArrayEquals(new int[] {0, 127, 127, 55, 0}, ints(out));
    ImageOps.solarize(in, out, 255f);
    assertArrayEquals(new int[] {0, 127, 128, 200, 0}, ints(out));
    ImageOps.solarize(in, out, 0f);
    assertArrayEquals(new int[] {255, 128, 127, 55, 0}, ints(out));
  }

  @Test
  public void solarizeThresholdsAre255TimesLinspaceFromOneToZero() {
    float[] expected = {255f, 226.66667f, 198.33333f, 170f, 141.66667f, 113.33333f, 85f, 56.666668f, 28.333334f, 0f};
    for (int bin = 0; bin < 10; bin++) {
      assertEquals("bin " + bin, expected[bin], Op.SOLARIZE.magnitude(bin, 32, 32), 1e-4);
    }
    // the thresholds that fall on integers do so exactly, so 170 and 85 are inverted
    assertThat(Op.SOLARIZE.magnitude(3, 32, 32), is(170.0));
    assertThat(Op.SOLARIZE.magnitude(6, 32, 32), is(85.0));
  }

  @Test
  public void posterizeKeepsTheHighBits() {
    byte[] in = bytes(0xab, 200, 127, 255, 1);
    byte[] out = new byte[5];
    ImageOps.posterize(in, out, 4);
    assertArrayEquals(new int[] {0xa0, 192, 112, 240, 0}, ints(out));
    ImageOps.posterize(in, out, 1);
    assertArrayEquals(new int[] {128, 128, 0, 128, 0}, ints(out));
    ImageOps.posterize(in, out, 8);
    assertArrayEquals(ints(in), ints(out));
  }

  @Test
  public void posterizeBitsFollowTorchvisionsTable() {
    int[] bits = new int[10];
    for (int bin = 0; bin < 10; bin++) {
      bits[bin] = (int) Op.POSTERIZE.magnitude(bin, 32, 32);
    }
    assertArrayEquals(new int[] {8, 8, 7, 7, 6, 6, 5, 5, 4, 4}, bits);
  }

  @Test
  public void equalizeSpreadsTwoLevelsToBlackAndWhite() {
    byte[] in = new byte[32 * 32];
    for (int i = 0; i < in.length; i++) {
      in[i] = (byte) (i % 2 == 0 ? 50 : 200);
    }
    byte[] out = new byte[in.length];
    ImageOps.equalize(in, out, 1);
    for (int i = 0; i < out.length; i++) {
      assertThat(out[i] & 0xff, is(i % 2 == 0 ? 0 : 255));
    }
  }

  @Test
  public void equalizeLeavesFlatAndTooSmallImagesAlone() {
    byte[] flat = new byte[32 * 32];
    java.util.Arrays.fill(flat, (byte) 77);
    byte[] out = new byte[flat.length];
    ImageOps.equalize(flat, out, 1);
    assertArrayEquals(flat, out);
    // 8 pixels below the top level: PIL's step, 8 / 255, is 0
    byte[] small = bytes(10, 10, 10, 10, 10, 10, 10, 10, 90, 90, 90, 90, 90, 90, 90, 90);
    out = new byte[small.length];
    ImageOps.equalize(small, out, 1);
    assertArrayEquals(small, out);
  }

  @Test
  public void equalizeWorksOnEachChannelOnItsOwn() {
    int n = 32 * 32;
    byte[] in = new byte[n * 3];
    for (int p = 0; p < n; p++) {
      in[3 * p] = (byte) (p % 2 == 0 ? 50 : 200); // two levels
      in[3 * p + 1] = (byte) 99; // flat
      in[3 * p + 2] = (byte) (p < n / 4 ? 10 : 20); // a quarter dark
    }
    byte[] out = new byte[in.length];
    ImageOps.equalize(in, out, 3);
    // blue: 256 dark pixels, step 256 / 255 = 1, so dark -> 0 and bright -> 256 clamped to 255
    for (int p = 0; p < n; p++) {
      assertThat(out[3 * p] & 0xff, is(p % 2 == 0 ? 0 : 255));
      assertThat(out[3 * p + 1] & 0xff, is(99));
      assertThat(out[3 * p + 2] & 0xff, is(p < n / 4 ? 0 : 255));
    }
  }

  @Test
  public void autoContrastStretchesEachChannelAndKeepsFlatOnes() {
    byte[] in = bytes(50, 7, 100, 7, 150, 7);
    byte[] out = new byte[6];
    ImageOps.autoContrast(in, out, 2);
    // (100 - 50) * 255 / 100 = 127.5, truncated
    assertArrayEquals(new int[] {0, 7, 127, 7, 255, 7}, ints(out));
  }

  @Test
  public void brightnessZeroIsBlackOneIsIdentityAndLargeClips() {
    byte[] in = random(3 * 16, 1);
    byte[] out = new byte[in.length];
    ImageOps.brightness(in, out, 0.0);
    assertArrayEquals(new byte[in.length], out);
    ImageOps.brightness(in, out, 1.0);
    assertArrayEquals(in, out);
    ImageOps.brightness(bytes(100, 200, 3), out = new byte[3], 1.5);
    assertArrayEquals(new int[] {150, 255, 4}, ints(out));
  }

  @Test
  public void contrastZeroGivesTheMeanGrey() {
    byte[] out = new byte[4];
    ImageOps.contrast(bytes(0, 100, 200, 100), out, 1, 0.0);
    assertArrayEquals(new int[] {100, 100, 100, 100}, ints(out));
    // RGB: the mean of the luma, here of (255, 0, 0) -> 76 and (0, 0, 255) -> 29
    byte[] rgb = bytes(255, 0, 0, 0, 0, 255);
    out = new byte[6];
    ImageOps.contrast(rgb, out, 3, 0.0);
    assertArrayEquals(new int[] {52, 52, 52, 52, 52, 52}, ints(out));
    ImageOps.contrast(rgb, out, 3, 1.0);
    assertArrayEquals(rgb, out);
  }

  @Test
  public void saturationZeroGivesGreyAndGreyImagesAreLeftAlone() {
    byte[] rgb = bytes(255, 0, 0, 10, 200, 30);
    byte[] out = new byte[6];
    ImageOps.saturation(rgb, out, 3, 0.0);
    int g1 = ImageOps.grey(255, 0, 0);
    int g2 = ImageOps.grey(10, 200, 30);
    assertThat(g1, is(76));
    assertArrayEquals(new int[] {g1, g1, g1, g2, g2, g2}, ints(out));
    ImageOps.saturation(rgb, out, 3, 1.0);
    assertArrayEquals(rgb, out);
    byte[] grey = random(25, 2);
    byte[] greyOut = new byte[25];
    ImageOps.saturation(grey, greyOut, 1, 0.1);
    assertArrayEquals(grey, greyOut);
  }

  @Test
  public void sharpnessBlendsWithTheSmoothedImageInsideTheBorder() {
    byte[] in = bytes(0, 0, 0, 0, 130, 0, 0, 0, 0);
    byte[] out = new byte[9];
    ImageOps.sharpness(in, out, 3, 3, 1, 0.0);
    // the smoothed centre: 5 * 130 / 13 = 50
    assertArrayEquals(new int[] {0, 0, 0, 0, 50, 0, 0, 0, 0}, ints(out));
    ImageOps.sharpness(in, out, 3, 3, 1, 2.0);
    assertArrayEquals(new int[] {0, 0, 0, 0, 210, 0, 0, 0, 0}, ints(out));
    ImageOps.sharpness(in, out, 3, 3, 1, 1.0);
    assertArrayEquals(in, out);
  }

  @Test
  public void sharpnessNeverTouchesTheBorder() {
    int h = 6;
    int w = 7;
    byte[] in = random(h * w * 3, 3);
    byte[] out = new byte[in.length];
    for (double factor : new double[] {0.0, 0.5, 2.0, 0.1, 1.7}) {
      // the border is blended with itself: exact for these three factors, while float32 can
      // truncate the others' blend to one less, as torchvision's does
      boolean exact = factor == 0.0 || factor == 0.5 || factor == 2.0;
      ImageOps.sharpness(in, out, h, w, 3, factor);
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          if (y == 0 || x == 0 || y == h - 1 || x == w - 1) {
            for (int c = 0; c < 3; c++) {
              int i = (y * w + x) * 3 + c;
              int v = in[i] & 0xff;
              int o = out[i] & 0xff;
              assertThat("border at " + y + "," + x + " factor " + factor, exact ? o == v : o == v || o == v - 1, is(true));
            }
          }
        }
      }
    }
    // 0.1 * 237 + 0.9 * 237 is 236.99998 in float32
    byte[] flat = new byte[9];
    java.util.Arrays.fill(flat, (byte) 237);
    byte[] flatOut = new byte[9];
    ImageOps.sharpness(flat, flatOut, 3, 3, 1, 0.1);
    assertThat(flatOut[0] & 0xff, is(236));
    // smaller than 3 x 3: nothing to smooth
    byte[] tiny = random(2 * 5, 4);
    byte[] tinyOut = new byte[tiny.length];
    ImageOps.sharpness(tiny, tinyOut, 2, 5, 1, 0.0);
    assertArrayEquals(tiny, tinyOut);
  }
}
