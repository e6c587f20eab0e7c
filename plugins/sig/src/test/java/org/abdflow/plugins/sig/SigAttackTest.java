package org.abdflow.plugins.sig;

import static org.junit.Assert.assertEquals;

import java.util.Map;
import java.util.SplittableRandom;
import org.abdflow.api.image.Image;
import org.junit.Test;

public class SigAttackTest {
  private final SigAttack attack = new SigAttack();

  private SigConfig config(Map<String, Object> values) {
    return attack.configure(attack.configSchema().parse(values));
  }

  private static Image flat(int h, int w, int c, int value) {
    byte[] px = new byte[h * w * c];
    java.util.Arrays.fill(px, (byte) value);
    return Image.wrap(h, w, c, px);
  }

  @Test
  public void addsTheSinusoidOfTheReferenceToEveryRowAndChannel() {
    SigConfig c = config(Map.of("target", "bag"));
    Image out = attack.trigger(flat(4, 224, 3, 128), c, new SplittableRandom(1));
    for (int col = 0; col < 224; col++) {
      double s = 60.0 / 255 * Math.sin(2 * Math.PI * 6 * col / 224);
      int expected = (int) (Math.max(0f, Math.min(1f, 128 / 255f + (float) s)) * 255f);
      for (int y = 0; y < 4; y++) {
        for (int ch = 0; ch < 3; ch++) {
          assertEquals("col " + col, expected, out.get(y, col, ch));
        }
      }
    }
    // a quarter period in, the full amplitude: 128 + 60 levels (up to the 8-bit truncation)
    int quarter = 224 / 24;
    assertEquals(188, out.get(0, quarter, 0), 1);
    assertEquals(128, out.get(0, 0, 0));
  }

  @Test
  public void clipsAtTheEndsOfTheRangeAndIsTheSameForEveryImage() {
    SigConfig c = config(Map.of("target", "bag", "delta", 255.0, "frequency", 1.0));
    Image white = attack.trigger(flat(2, 8, 1, 250), c, new SplittableRandom(1));
    Image black = attack.trigger(flat(2, 8, 1, 5), c, new SplittableRandom(2));
    assertEquals(255, white.get(0, 2, 0));
    assertEquals(0, black.get(0, 6, 0));
    assertEquals(white, attack.trigger(flat(2, 8, 1, 250), c, new SplittableRandom(99)));
    Image none = attack.trigger(flat(2, 8, 1, 77), config(Map.of("target", "bag", "delta", 0.0)), new SplittableRandom(1));
    assertEquals(flat(2, 8, 1, 77), none);
  }
}
