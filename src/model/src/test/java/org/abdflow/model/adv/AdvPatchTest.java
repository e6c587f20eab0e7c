package org.abdflow.model.adv;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.abdflow.api.image.Image;
import org.abdflow.model.ClipConfig;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class AdvPatchTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static AdvPatch patch() {
    Random rnd = new Random(4);
    float[] p = new float[3 * 32 * 32];
    for (int i = 0; i < p.length; i++) {
      p[i] = (float) (rnd.nextGaussian() * 1.5);
    }
    PatchClamp clamp = PatchClamp.of(AdvPatchOptions.ClampMode.ADVCLIP, ClipConfig.CLIP_MEAN, ClipConfig.CLIP_STD);
    List<PatchLossTerms> history = List.of(new PatchLossTerms(1.3, 0.7, -2.5, 0.01, -0.3, 2.0794415416798357, -27.1),
        new PatchLossTerms(1.2, 0.8, -2.9, 0.02, -0.4, 2.1, -31.0));
    return new AdvPatch(p, PatchMask.bottomRight(32, 6, 2), ClipConfig.CLIP_MEAN, ClipConfig.CLIP_STD, clamp, history);
  }

  @Test
  public void pasteChangesExactlyTheSquare() {
    AdvPatch patch = patch();
    byte[] px = new byte[32 * 32 * 3];
    new Random(1).nextBytes(px);
    Image clean = Image.wrap(32, 32, 3, px);
    Image pasted = patch.paste(clean, 3, 10);
    Image region = patch.patchImage();
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        boolean inside = y >= 3 && y < 9 && x >= 10 && x < 16;
        for (int c = 0; c < 3; c++) {
          int expected = inside ? region.get(y - 3, x - 10, c) : clean.get(y, x, c);
          assertEquals("pixel " + y + "," + x + "," + c, expected, pasted.get(y, x, c));
        }
      }
    }
    // the region is P de-normalised: value·std + mean, in 8 bits
    float[] p = patch.perturbation();
    double v = p[(1 * 32 + 24) * 32 + 25] * ClipConfig.CLIP_STD.get(1) + ClipConfig.CLIP_MEAN.get(1);
    assertEquals((int) Math.max(0, Math.min(255, Math.round(v * 255))), region.get(0, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> patch.paste(clean, 27, 0));
  }

  @Test
  public void aGreyImageBecomesRgbAroundThePatch() {
    byte[] px = new byte[32 * 32];
    new Random(2).nextBytes(px);
    Image grey = Image.wrap(32, 32, 1, px);
    Image pasted = patch().paste(grey, 0, 0);
    assertEquals(3, pasted.channels());
    assertEquals(grey.get(20, 20, 0), pasted.get(20, 20, 2));
  }

  @Test
  public void saveAndLoadRoundTrip() throws Exception {
    AdvPatch patch = patch();
    Path dir = tmp.getRoot().toPath().resolve("patch");
    patch.save(dir);
    AdvPatch back = AdvPatch.load(dir);
    assertEquals(patch, back);
    assertArrayEquals(patch.perturbation(), back.perturbation(), 0f);
    assertEquals(patch.history(), back.history());
    assertEquals(3 * 32 * 32 * 4, Files.size(dir.resolve(AdvPatch.TENSOR_FILE)));
    BufferedImage png = ImageIO.read(dir.resolve(AdvPatch.IMAGE_FILE).toFile());
    assertEquals(6, png.getWidth());
    Image region = patch.patchImage();
    assertEquals(region.get(2, 3, 0), (png.getRGB(3, 2) >> 16) & 0xff);
    assertNotEquals(0, region.get(2, 3, 0) + region.get(2, 3, 1) + region.get(2, 3, 2));
  }
}
