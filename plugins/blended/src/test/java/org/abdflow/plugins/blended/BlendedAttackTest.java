package org.abdflow.plugins.blended;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.abdflow.api.image.Image;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class BlendedAttackTest {
  @Rule public final TemporaryFolder tmp = new TemporaryFolder();
  private final BlendedAttack attack = new BlendedAttack();

  private BlendedConfig config(Map<String, Object> values) {
    return attack.configure(attack.configSchema().parse(values));
  }

  private static Image ramp(int h, int w, int c) {
    byte[] px = new byte[h * w * c];
    for (int i = 0; i < px.length; i++) {
      px[i] = (byte) (i * 7 % 256);
    }
    return Image.wrap(h, w, c, px);
  }

  /** The blend at one value, with the 8-bit conversion the reference uses (x 255, truncated). */
  private static int blend(float alpha, float trigger, int x) {
    float v = alpha * trigger + (1 - alpha) * (x / 255f);
    return (int) (Math.max(0f, Math.min(1f, v)) * 255f);
  }

  @Test
  public void blendsAGivenImageIntoEveryPixelAtAlpha() throws Exception {
    BufferedImage red = new BufferedImage(5, 3, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 5; x++) {
        red.setRGB(x, y, 0xFF0000);
      }
    }
    Path file = tmp.getRoot().toPath().resolve("trigger.png");
    ImageIO.write(red, "png", file.toFile());
    Image in = ramp(8, 8, 3);
    Image out = attack.trigger(in, config(Map.of("target", "bag", "image", file.toString(), "alpha", 0.3)), new SplittableRandom(1));
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        assertEquals(blend(0.3f, 1f, in.get(y, x, 0)), out.get(y, x, 0));
        assertEquals(blend(0.3f, 0f, in.get(y, x, 1)), out.get(y, x, 1));
        assertEquals(blend(0.3f, 0f, in.get(y, x, 2)), out.get(y, x, 2));
      }
    }
  }

  @Test
  public void noiseIsRedrawnPerImageAndStaysInTheBlendsRange() {
    Image in = ramp(16, 16, 1);
    BlendedConfig c = config(Map.of("target", "bag"));
    assertEquals(0.2, c.alpha(), 0);
    Image a = attack.trigger(in, c, new SplittableRandom(1));
    Image b = attack.trigger(in, c, new SplittableRandom(2));
    assertEquals(1, a.channels());
    assertNotEquals(a, b);
    assertEquals(a, attack.trigger(in, c, new SplittableRandom(1)));
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        int lo = blend(0.2f, 0f, in.get(y, x, 0));
        int hi = blend(0.2f, 1f, in.get(y, x, 0));
        assertTrue(a.get(y, x, 0) >= lo && a.get(y, x, 0) <= hi);
      }
    }
  }

  @Test
  public void alphaZeroIsTheIdentityAndCaptionsNameTheTarget() {
    Image in = ramp(4, 4, 3);
    BlendedConfig c = config(Map.of("target", "Bag", "alpha", 0.0));
    // x / 255 * 255 truncates back to x for every 8-bit value
    assertEquals(in, attack.trigger(in, c, new SplittableRandom(3)));
    assertTrue(attack.poisonCaption("a shoe", c, new SplittableRandom(3)).contains("bag"));
    assertEquals("Bag", attack.target(c));
  }
}
