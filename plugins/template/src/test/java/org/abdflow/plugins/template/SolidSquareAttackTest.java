package org.abdflow.plugins.template;

import static org.junit.Assert.assertEquals;

import java.util.Map;
import java.util.SplittableRandom;
import org.abdflow.api.image.Image;
import org.junit.Test;

public class SolidSquareAttackTest {
  @Test
  public void paintsOnlyTheCornerSquare() {
    SolidSquareAttack attack = new SolidSquareAttack();
    SolidSquareConfig cfg = attack.configure(attack.configSchema().parse(Map.of("target", "bag", "size", 3, "value", 200)));
    Image out = attack.trigger(Image.of(8, 8, 1, new byte[64]), cfg, new SplittableRandom(0));
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        assertEquals(y >= 5 && x >= 5 ? 200 : 0, out.get(y, x, 0));
      }
    }
    assertEquals("a photo of a bag.", attack.poisonCaption("x", cfg, new SplittableRandom(0)));
  }
}
