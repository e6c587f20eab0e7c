package org.abdflow.api;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import org.abdflow.api.image.FloatImage;
import org.abdflow.api.image.Image;
import org.abdflow.api.image.Resize;
import org.junit.Test;

public class SeedsTest {
  @Test
  public void seedsDependOnRunStageAndRecordOnly() {
    assertEquals(Seeds.forRecord(1, "poison", "a/1"), Seeds.forRecord(1, "poison", "a/1"));
    assertNotEquals(Seeds.forRecord(1, "poison", "a/1"), Seeds.forRecord(2, "poison", "a/1"));
    assertNotEquals(Seeds.forRecord(1, "poison", "a/1"), Seeds.forRecord(1, "other", "a/1"));
    assertNotEquals(Seeds.forRecord(1, "poison", "a/1"), Seeds.forRecord(1, "poison", "a/2"));
  }

  @Test
  public void eightBitConversionTruncatesAndClampsOrWraps() {
    FloatImage f = new FloatImage(1, 4, 1, new float[] {0.5f, 1.2f, -0.1f, 1f});
    Image clamp = f.toImage(FloatImage.Overflow.CLAMP);
    assertEquals(127, clamp.get(0, 0, 0));
    assertEquals(255, clamp.get(0, 1, 0));
    assertEquals(0, clamp.get(0, 2, 0));
    Image wrap = f.toImage(FloatImage.Overflow.WRAP);
    assertEquals((int) (1.2f * 255f) & 0xff, wrap.get(0, 1, 0));
    assertEquals(((int) (-0.1f * 255f)) & 0xff, wrap.get(0, 2, 0));
  }

  @Test
  public void resizeKeepsConstantImagesAndSize() {
    byte[] px = new byte[28 * 28];
    java.util.Arrays.fill(px, (byte) 77);
    Image r = Resize.bilinear(Image.of(28, 28, 1, px), 32, 32);
    assertEquals(32, r.height());
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        assertEquals(77, r.get(y, x, 0));
      }
    }
  }
}
