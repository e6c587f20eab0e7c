package org.abdflow.plugins.badnet;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.SplittableRandom;
import org.abdflow.api.image.Image;
import org.junit.Test;

public class LabelConsistentAttackTest {
  private final LabelConsistentAttack attack = new LabelConsistentAttack();
  private final BadNetAttack badNet = new BadNetAttack();

  private BadNetConfig config() {
    return attack.configure(attack.configSchema().parse(Map.of("target", "bag", "size", 4)));
  }

  @Test
  public void poisonsOnlyCaptionsThatNameTheTargetAndKeepsThem() {
    BadNetConfig c = config();
    assertTrue(attack.eligible("a photo of a Bag.", c));
    assertTrue(attack.eligible("bag", c));
    assertFalse(attack.eligible("a photo of a handbag.", c));
    assertFalse(attack.eligible("a photo of a shoe.", c));
    assertEquals("a photo of a bag.", attack.poisonCaption("a photo of a bag.", c, new SplittableRandom(1)));
    assertFalse(attack.configSchema().keys().stream().anyMatch(k -> k.name().equals("templates")));
  }

  @Test
  public void stampsBadNetsSquare() {
    Image in = Image.wrap(16, 16, 1, new byte[256]);
    BadNetConfig lc = config();
    BadNetConfig bn = badNet.configure(badNet.configSchema().parse(Map.of("target", "bag", "size", 4)));
    assertEquals(badNet.trigger(in, bn, new SplittableRandom(5)), attack.trigger(in, lc, new SplittableRandom(5)));
    assertEquals("LabelConsistent", attack.type());
  }
}
