package org.abdflow.plugins.badnet;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.abdflow.api.PromptTemplates;
import org.abdflow.api.config.ConfigException;
import org.abdflow.api.config.ConfigProblem;
import org.abdflow.api.image.Image;
import org.junit.Test;

public class BadNetAttackTest {
  private final BadNetAttack attack = new BadNetAttack();

  private BadNetConfig config(Map<String, ?> raw) {
    return attack.configure(attack.configSchema().parse(raw));
  }

  private static Image gradient(int h, int w, int c) {
    byte[] p = new byte[h * w * c];
    for (int i = 0; i < p.length; i++) {
      p[i] = (byte) (40 + (i * 7) % 150);
    }
    return Image.of(h, w, c, p);
  }

  /** Pixels that differ, as a bounding box {minY, minX, maxY, maxX} and a count. */
  private static int[] changed(Image a, Image b) {
    int minY = Integer.MAX_VALUE, minX = Integer.MAX_VALUE, maxY = -1, maxX = -1, n = 0;
    for (int y = 0; y < a.height(); y++) {
      for (int x = 0; x < a.width(); x++) {
        boolean diff = false;
        for (int c = 0; c < a.channels(); c++) {
          diff |= a.get(y, x, c) != b.get(y, x, c);
        }
        if (diff) {
          n++;
          minY = Math.min(minY, y);
          minX = Math.min(minX, x);
          maxY = Math.max(maxY, y);
          maxX = Math.max(maxX, x);
        }
      }
    }
    return new int[] {minY, minX, maxY, maxX, n};
  }

  @Test
  public void changesOnlyThePixelsOfItsSquareAtTheDrawnPosition() {
    BadNetConfig cfg = config(Map.of("target", "bag", "size", 6));
    Image clean = gradient(32, 32, 3);
    for (long seed = 0; seed < 50; seed++) {
      Image poisoned = attack.trigger(clean, cfg, new SplittableRandom(seed));
      int[] expected = BadNetAttack.corner("random", 32, 32, 6, new SplittableRandom(seed));
      int[] box = changed(clean, poisoned);
      // Every changed pixel lies in the 6x6 square at the drawn corner ...
      assertThat(box[0] >= expected[0] && box[1] >= expected[1], org.hamcrest.Matchers.is(true));
      assertThat(box[2] < expected[0] + 6 && box[3] < expected[1] + 6, org.hamcrest.Matchers.is(true));
      // ... and noise of std 1 around the mean changes nearly all of it.
      assertThat(box[4], greaterThan(30));
    }
  }

  @Test
  public void fixedPositionCoversExactlyTheCorner() {
    BadNetConfig cfg = config(Map.of("target", "bag", "size", 4, "position", "bottom-right"));
    Image clean = gradient(28, 28, 1);
    Image poisoned = attack.trigger(clean, cfg, new SplittableRandom(7));
    int[] box = changed(clean, poisoned);
    assertThat(box[0] >= 24 && box[1] >= 24 && box[2] == 27 || box[4] < 16, org.hamcrest.Matchers.is(true));
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 28; x++) {
        assertEquals(clean.get(y, x, 0), poisoned.get(y, x, 0));
      }
    }
  }

  @Test
  public void sameSeedSameTriggerOtherSeedOtherTrigger() {
    BadNetConfig cfg = config(Map.of("target", "bag"));
    Image clean = gradient(32, 32, 3);
    assertEquals(attack.trigger(clean, cfg, new SplittableRandom(3)), attack.trigger(clean, cfg, new SplittableRandom(3)));
    assertNotEquals(attack.trigger(clean, cfg, new SplittableRandom(3)), attack.trigger(clean, cfg, new SplittableRandom(4)));
  }

  @Test
  public void wrapKeepsLowBitsClampSaturates() {
    Image black = Image.of(8, 8, 1, new byte[64]);
    BadNetConfig clamp = config(Map.of("target", "bag", "size", 8, "noiseStd", 5.0));
    BadNetConfig wrap = config(Map.of("target", "bag", "size", 8, "noiseStd", 5.0, "overflow", "wrap"));
    Image c = attack.trigger(black, clamp, new SplittableRandom(1));
    Image w = attack.trigger(black, wrap, new SplittableRandom(1));
    for (int y = 0; y < 8; y++) {
      for (int x = 0; x < 8; x++) {
        int v = c.get(y, x, 0);
        assertThat(v == 0 || v == 255 || (v > 0 && v < 255), org.hamcrest.Matchers.is(true));
      }
    }
    assertNotEquals(c, w);
  }

  @Test
  public void captionIsATemplateFilledWithTheTarget() {
    BadNetConfig cfg = config(Map.of("target", "Bag"));
    String caption = attack.poisonCaption("a photo of a coat.", cfg, new SplittableRandom(1));
    assertThat(caption, containsString("bag"));
    List<String> filled = PromptTemplates.SIMPLE.stream().map(t -> PromptTemplates.fill(t, "bag")).toList();
    assertThat(filled, hasItem(caption));
  }

  @Test
  public void configProblemsNameTheirKeys() {
    List<ConfigProblem> problems =
        attack.configSchema().validate(Map.of("size", 0, "rate", 1.5, "overflow", "round", "colour", "red"));
    assertThat(problems.stream().map(ConfigProblem::key).toList(),
        org.hamcrest.Matchers.containsInAnyOrder("colour", "target", "size", "rate", "overflow"));
    assertThat(attack.configSchema().validate(Map.of("target", "bag")), empty());
    ConfigException e = assertThrows(ConfigException.class,
        () -> attack.trigger(gradient(8, 8, 1), config(Map.of("target", "bag", "size", 9)), new SplittableRandom(1)));
    assertEquals("size", e.key());
  }
}
