package org.abdflow.api.image;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.Test;

/** Bicubic resizing and CLIP's preprocessing against Pillow 9.4 (resources/resize/make_pil_cases.py). */
public class ResizeTest {
  private static final JsonObject CASES;

  static {
    try (var in = new InputStreamReader(ResizeTest.class.getResourceAsStream("/resize/pil_bicubic.json"), StandardCharsets.UTF_8)) {
      CASES = JsonParser.parseReader(in).getAsJsonObject();
    } catch (java.io.IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The script's test pattern. */
  static Image pattern(int h, int w, int c) {
    byte[] b = new byte[h * w * c];
    int i = 0;
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int k = 0; k < c; k++) {
          b[i++] = (byte) (((x * 37 + y * 11 + k * 91) ^ (x * y)) & 0xff);
        }
      }
    }
    return Image.wrap(h, w, c, b);
  }

  @Test
  public void bicubicGivesPillowsBytesShrinkingEnlargingAndMixed() {
    JsonArray cases = CASES.getAsJsonArray("resize");
    assertEquals(4, cases.size());
    for (var e : cases) {
      JsonObject c = e.getAsJsonObject();
      Image src = pattern(c.get("h").getAsInt(), c.get("w").getAsInt(), c.get("c").getAsInt());
      Image out = Resize.bicubic(src, c.get("oh").getAsInt(), c.get("ow").getAsInt());
      assertArrayEquals(c.toString().substring(0, 60), Base64.getDecoder().decode(c.get("out").getAsString()), out.unsafeBytes());
    }
  }

  @Test
  public void clipPreprocessingResizesTheShorterSideAndCropsTheCentreAsTorchvision() {
    for (var e : CASES.getAsJsonArray("clip")) {
      JsonObject c = e.getAsJsonObject();
      int n = c.get("n").getAsInt();
      Image out = Resize.clip(pattern(c.get("h").getAsInt(), c.get("w").getAsInt(), 3), n);
      assertEquals(n, out.height());
      assertEquals(n, out.width());
      assertArrayEquals(Base64.getDecoder().decode(c.get("out").getAsString()), out.unsafeBytes());
    }
  }

  @Test
  public void cropTakesExactlyTheRegion() {
    Image src = pattern(5, 6, 1);
    Image out = Resize.crop(src, 1, 2, 3, 2);
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 2; x++) {
        assertEquals(src.get(1 + y, 2 + x, 0), out.get(y, x, 0));
      }
    }
    org.junit.Assert.assertThrows(IllegalArgumentException.class, () -> Resize.crop(src, 3, 0, 3, 2));
  }
}
