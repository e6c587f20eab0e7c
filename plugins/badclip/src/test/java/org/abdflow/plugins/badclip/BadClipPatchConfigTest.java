package org.abdflow.plugins.badclip;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.Map;
import org.abdflow.api.config.ConfigException;
import org.junit.Test;

public class BadClipPatchConfigTest {
  private final BadClipPatchGenerator generator = new BadClipPatchGenerator();

  @Test
  public void augmentsHalfTheImagesWithTheImageNetPolicyByDefaultAsTheReference() {
    BadClipPatchConfig c = generator.configure(generator.configSchema().parse(Map.of("target", "bag")));
    assertEquals(0.5, c.augment().probability(), 0);
    assertEquals("imagenet", c.augment().policy());
    assertEquals(16, c.options().side());
  }

  @Test
  public void augmentationCanBeTurnedOffOrChangedAndIsChecked() {
    BadClipPatchConfig off = generator.configure(generator.configSchema().parse(Map.of("target", "bag", "augmentProbability", 0)));
    assertEquals(0, off.augment().probability(), 0);
    BadClipPatchConfig svhn = generator.configure(generator.configSchema().parse(Map.of("target", "bag", "augmentPolicy", "svhn")));
    assertEquals("svhn", svhn.augment().policy());
    assertThrows(ConfigException.class, () -> generator.configSchema().parse(Map.of("target", "bag", "augmentProbability", 1.5)));
    assertThrows(ConfigException.class, () -> generator.configSchema().parse(Map.of("target", "bag", "augmentPolicy", "cifar100")));
  }
}
